// TIFF read back through read_image_file: 8/16-bit integer and 32-bit float, stripped and tiled, RGB luma.
#include <gtest/gtest.h>

#include "osgan/io/image.h"
#include "support/test_support.h"
#include "unit/io/io_fixtures.h"

using namespace osgan::test;
using osgan::io::read_image_file;

namespace {

std::vector<double> pattern(int w, int h, int channels, int range) {
  std::vector<double> v(static_cast<std::size_t>(w) * h * channels);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = double((i * 7919 + 13) % range);
  return v;
}

}  // namespace

TEST(ReadTiff, Grey8BitExact) {
  ScratchDir dir("io-tiff");
  const auto px = pattern(7, 5, 1, 256);
  write_tiff(dir / "a.tif", 7, 5, 1, 8, false, px);
  const auto file = read_image_file(dir / "a.tif");
  EXPECT_EQ(file.info.format, "tiff");
  EXPECT_EQ(file.info.bits_per_sample, 8);
  const auto& img = file.slices.at(0).image;
  ASSERT_EQ(img.width, 7);
  ASSERT_EQ(img.height, 5);
  for (std::size_t i = 0; i < px.size(); ++i) EXPECT_EQ(img.pixels[i], float(px[i])) << "pixel " << i;
}

TEST(ReadTiff, Grey16BitKeepsFullRange) {
  ScratchDir dir("io-tiff");
  auto px = pattern(6, 4, 1, 65536);
  px[0] = 40000;
  px[5] = 65535;
  write_tiff(dir / "b.tiff", 6, 4, 1, 16, false, px);
  const auto file = read_image_file(dir / "b.tiff");
  EXPECT_EQ(file.info.bits_per_sample, 16);
  const auto& img = file.slices.at(0).image;
  EXPECT_EQ(img.pixels[0], 40000.f);
  EXPECT_EQ(img.pixels[5], 65535.f);
  for (std::size_t i = 0; i < px.size(); ++i) EXPECT_EQ(img.pixels[i], float(px[i])) << "pixel " << i;
}

TEST(ReadTiff, Tiled16BitExact) {
  ScratchDir dir("io-tiff");
  const auto px = pattern(37, 20, 1, 65536);  // not a multiple of the 16x16 tile
  write_tiff(dir / "tiled.tif", 37, 20, 1, 16, false, px, /*tiled=*/true);
  const auto file = read_image_file(dir / "tiled.tif");
  const auto& img = file.slices.at(0).image;
  ASSERT_EQ(img.width, 37);
  ASSERT_EQ(img.height, 20);
  for (std::size_t i = 0; i < px.size(); ++i) ASSERT_EQ(img.pixels[i], float(px[i])) << "pixel " << i;
}

TEST(ReadTiff, Float32Exact) {
  ScratchDir dir("io-tiff");
  const std::vector<double> px = {-1024.5, 0.25, 3000.0, 1e-3};
  write_tiff(dir / "f.tif", 2, 2, 1, 32, true, px);
  const auto file = read_image_file(dir / "f.tif");
  EXPECT_EQ(file.info.bits_per_sample, 32);
  const auto& p = file.slices.at(0).image.pixels;
  for (std::size_t i = 0; i < px.size(); ++i) EXPECT_EQ(p[i], float(px[i]));
}

TEST(ReadTiff, Rgb16BitLuma) {
  ScratchDir dir("io-tiff");
  const std::vector<double> px = {65535, 0, 0, 1000, 2000, 3000};
  write_tiff(dir / "rgb.tif", 2, 1, 3, 16, false, px);
  const auto file = read_image_file(dir / "rgb.tif");
  EXPECT_EQ(file.info.channel_mode, "rgb");
  const auto& p = file.slices.at(0).image.pixels;
  EXPECT_NEAR(p[0], 0.299f * 65535, 1e-2);
  EXPECT_NEAR(p[1], 0.299f * 1000 + 0.587f * 2000 + 0.114f * 3000, 1e-2);
}

TEST(ReadTiff, GreyAlphaCompositedOverBlack) {
  ScratchDir dir("io-tiff");
  const std::vector<double> px = {200, 255, 200, 0};
  write_tiff(dir / "ga.tif", 2, 1, 2, 8, false, px);
  const auto file = read_image_file(dir / "ga.tif");
  EXPECT_EQ(file.info.channel_mode, "grey+alpha");
  const auto& p = file.slices.at(0).image.pixels;
  EXPECT_FLOAT_EQ(p[0], 200.f);
  EXPECT_FLOAT_EQ(p[1], 0.f);
}

TEST(ReadTiff, PaletteThroughRgbaConversion) {
  ScratchDir dir("io-tiff");
  std::vector<std::uint16_t> r(256, 0), g(256, 0), b(256, 0);
  r[1] = 255 * 257;                                // red
  g[2] = 255 * 257;                                // green
  r[3] = 10 * 257, g[3] = 200 * 257, b[3] = 30 * 257;
  write_tiff_palette(dir / "pal.tif", 4, 1, {0, 1, 2, 3}, r, g, b);
  const auto file = read_image_file(dir / "pal.tif");
  const auto& p = file.slices.at(0).image.pixels;
  EXPECT_EQ(p[0], 0.f);
  EXPECT_NEAR(p[1], 0.299f * 255, 1e-3);
  EXPECT_NEAR(p[2], 0.587f * 255, 1e-3);
  EXPECT_NEAR(p[3], 0.299f * 10 + 0.587f * 200 + 0.114f * 30, 1e-3);
}

TEST(ReadTiff, MinIsWhiteIsInverted) {
  ScratchDir dir("io-tiff");
  write_tiff_min_is_white(dir / "w.tif", 3, 1, {0, 55, 255});
  const auto file = read_image_file(dir / "w.tif");
  const auto& p = file.slices.at(0).image.pixels;
  EXPECT_EQ(p[0], 255.f);
  EXPECT_EQ(p[1], 200.f);
  EXPECT_EQ(p[2], 0.f);
}
