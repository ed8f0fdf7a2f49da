// PNG (8/16 bit, libpng), JPEG (libjpeg-turbo) and BMP (stb_image) read back through read_image_file: exact values
// in file units, grey conversion (BT.601 luma, alpha over black) and detection by content rather than by name.
#include <gtest/gtest.h>

#include "osgan/io/image.h"
#include "support/test_support.h"
#include "unit/io/io_fixtures.h"

namespace fs = std::filesystem;
using namespace osgan::test;
using osgan::io::read_image_file;

namespace {

// A (H, W) pattern with distinct values in [0, range).
std::vector<std::uint16_t> pattern(int w, int h, int channels, int range) {
  std::vector<std::uint16_t> v(static_cast<std::size_t>(w) * h * channels);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint16_t>((i * 7919 + 13) % range);
  return v;
}

}  // namespace

TEST(ReadPng, Png8BitGreyExact) {
  ScratchDir dir("io-2d");
  const auto px = pattern(5, 3, 1, 256);
  write_png(dir / "a.png", 5, 3, 1, 8, px);
  const auto file = read_image_file(dir / "a.png");
  EXPECT_EQ(file.info.format, "png");
  EXPECT_EQ(file.info.bits_per_sample, 8);
  EXPECT_EQ(file.info.channel_mode, "grey");
  ASSERT_EQ(file.slices.size(), 1u);
  const auto& img = file.slices[0].image;
  ASSERT_EQ(img.width, 5);
  ASSERT_EQ(img.height, 3);
  for (std::size_t i = 0; i < px.size(); ++i) EXPECT_EQ(img.pixels[i], float(px[i])) << "pixel " << i;
  EXPECT_EQ(file.slices[0].index, -1);
}

TEST(ReadPng, Png16BitKeepsFullRange) {
  ScratchDir dir("io-2d");
  std::vector<std::uint16_t> px = pattern(4, 4, 1, 65536);
  px[0] = 40000;
  px[1] = 65535;
  px[2] = 1;
  write_png(dir / "b.png", 4, 4, 1, 16, px);
  const auto file = read_image_file(dir / "b.png");
  EXPECT_EQ(file.info.bits_per_sample, 16);
  const auto& img = file.slices.at(0).image;
  EXPECT_EQ(img.pixels[0], 40000.f);
  EXPECT_EQ(img.pixels[1], 65535.f);
  EXPECT_EQ(img.pixels[2], 1.f);
  for (std::size_t i = 0; i < px.size(); ++i) EXPECT_EQ(img.pixels[i], float(px[i])) << "pixel " << i;
}

TEST(ReadPng, PngRgbBecomesBt601Luma) {
  ScratchDir dir("io-2d");
  // Pure red, green, blue, and a mixed pixel.
  const std::vector<std::uint16_t> px = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 30};
  write_png(dir / "rgb.png", 4, 1, 3, 8, px);
  const auto file = read_image_file(dir / "rgb.png");
  EXPECT_EQ(file.info.channel_mode, "rgb");
  EXPECT_EQ(file.info.channels, 3);
  const auto& p = file.slices.at(0).image.pixels;
  EXPECT_NEAR(p[0], 0.299f * 255, 1e-3);
  EXPECT_NEAR(p[1], 0.587f * 255, 1e-3);
  EXPECT_NEAR(p[2], 0.114f * 255, 1e-3);
  EXPECT_NEAR(p[3], 0.299f * 10 + 0.587f * 200 + 0.114f * 30, 1e-3);
}

TEST(ReadPng, Png16BitGreyAlphaCompositedOverBlack) {
  ScratchDir dir("io-2d");
  const std::vector<std::uint16_t> px = {40000, 65535, 40000, 0, 50000, 32768};
  write_png(dir / "ga.png", 3, 1, 2, 16, px);
  const auto file = read_image_file(dir / "ga.png");
  EXPECT_EQ(file.info.channel_mode, "grey+alpha");
  const auto& p = file.slices.at(0).image.pixels;
  EXPECT_FLOAT_EQ(p[0], 40000.f);  // opaque
  EXPECT_FLOAT_EQ(p[1], 0.f);      // transparent
  EXPECT_NEAR(p[2], 50000.f * 32768.f / 65535.f, 1e-2);
}

TEST(ReadPng, PngRgbaCompositedOverBlack) {
  ScratchDir dir("io-2d");
  const std::vector<std::uint16_t> px = {100, 100, 100, 255, 100, 100, 100, 51};
  write_png(dir / "rgba.png", 2, 1, 4, 8, px);
  const auto file = read_image_file(dir / "rgba.png");
  EXPECT_EQ(file.info.channel_mode, "rgba");
  const auto& p = file.slices.at(0).image.pixels;
  EXPECT_NEAR(p[0], 100.f, 1e-3);
  EXPECT_NEAR(p[1], 20.f, 1e-3);  // 100 * 51 / 255
}

TEST(ReadPng, PngBytesNamedJpgAreDetectedAsPng) {
  ScratchDir dir("io-2d");
  const auto px = pattern(3, 3, 1, 256);
  write_png(dir / "really_png.jpg", 3, 3, 1, 8, px);
  EXPECT_EQ(osgan::io::detect_format(dir / "really_png.jpg"), "png");
  const auto file = read_image_file(dir / "really_png.jpg");
  EXPECT_EQ(file.info.format, "png");
  EXPECT_EQ(file.slices.at(0).image.pixels[4], float(px[4]));
}

TEST(ReadJpeg, JpegGreyCloseToWrittenValues) {
  ScratchDir dir("io-2d");
  // A smooth ramp survives quality-100 JPEG within a few grey levels; JPEG is lossy so no exact check.
  const int w = 32, h = 16;
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) px[static_cast<std::size_t>(y) * w + x] = static_cast<std::uint8_t>(40 + 4 * x + 2 * y);
  write_jpeg(dir / "a.jpg", w, h, 1, px, 100);
  const auto file = read_image_file(dir / "a.jpg");
  EXPECT_EQ(file.info.format, "jpeg");  // (stb_image_write stores even grey input as 3-component JPEG)
  const auto& img = file.slices.at(0).image;
  ASSERT_EQ(img.width, w);
  ASSERT_EQ(img.height, h);
  for (std::size_t i = 0; i < px.size(); ++i) EXPECT_NEAR(img.pixels[i], float(px[i]), 3.f) << "pixel " << i;
}

TEST(ReadJpeg, JpegRgbWithEqualChannelsKeepsGreyLevel) {
  ScratchDir dir("io-2d");
  const int w = 16, h = 16;
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 3, 120);
  write_jpeg(dir / "rgb.jpeg", w, h, 3, px, 100);
  const auto file = read_image_file(dir / "rgb.jpeg");
  EXPECT_EQ(file.info.channel_mode, "rgb");
  for (float v : file.slices.at(0).image.pixels) EXPECT_NEAR(v, 120.f, 2.f);
}

// Progressive JPEGs (made by ImageMagick: gradient:black-white, -interlace JPEG): several scans, no warning.
TEST(ReadJpeg, ProgressiveJpegsRead) {
  const fs::path data = fs::path(OSGAN_SOURCE_DIR) / "tests/data/jpeg";
  const auto grey = read_image_file(data / "progressive-grey.jpg");
  const auto& img = grey.slices.at(0).image;
  ASSERT_EQ(img.width, 24);
  ASSERT_EQ(img.height, 24);
  // A vertical ramp from black (top) to white (bottom).
  EXPECT_LT(img.pixels.front(), 20.f);
  EXPECT_GT(img.pixels.back(), 235.f);
  for (int y = 1; y < 24; ++y) EXPECT_GE(img.pixels[y * 24 + 12] + 3.f, img.pixels[(y - 1) * 24 + 12]) << "row " << y;
  const auto rgb = read_image_file(data / "progressive-rgb.jpg");
  EXPECT_EQ(rgb.info.channel_mode, "rgb");
  EXPECT_EQ(rgb.slices.at(0).image.width, 24);
}

TEST(ReadBmp, BmpRgbExactLuma) {
  ScratchDir dir("io-2d");
  const std::vector<std::uint8_t> px = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 30, 7, 7, 7, 0, 0, 0};
  write_bmp(dir / "a.bmp", 3, 2, 3, px);
  const auto file = read_image_file(dir / "a.bmp");
  EXPECT_EQ(file.info.format, "bmp");
  const auto& img = file.slices.at(0).image;
  ASSERT_EQ(img.width, 3);
  ASSERT_EQ(img.height, 2);
  EXPECT_NEAR(img.at(0, 0), 0.299f * 255, 1e-3);
  EXPECT_NEAR(img.at(0, 1), 0.587f * 255, 1e-3);
  EXPECT_NEAR(img.at(0, 2), 0.114f * 255, 1e-3);
  EXPECT_NEAR(img.at(1, 0), 0.299f * 10 + 0.587f * 200 + 0.114f * 30, 1e-3);
  EXPECT_NEAR(img.at(1, 1), 7.f, 1e-3);
  EXPECT_EQ(img.at(1, 2), 0.f);
}
