#include <gtest/gtest.h>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/io/image.h"
#include "osgan/io/png_writer.h"
#include "support/test_support.h"

using osgan::test::ScratchDir;

TEST(PngWriter, PixelsAndTextRoundTrip) {
  ScratchDir dir("png");
  osgan::io::Image image(3, 5);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 5; ++x) image.at(y, x) = static_cast<float>(y * 60 + x * 11);
  image.at(0, 0) = -7.f;   // clamped to 0
  image.at(2, 4) = 300.f;  // clamped to 255
  image.at(1, 1) = 12.6f;  // rounded to 13
  const auto path = dir / "a.png";
  osgan::io::write_png_grey8(path, image, {{"osgan:synthetic", "true"}, {"Comment", "Grauwert \xc3\xa4"}});

  const auto file = osgan::io::read_image_file(path);
  ASSERT_EQ(file.slices.size(), 1u);
  EXPECT_EQ(file.info.format, "png");
  EXPECT_EQ(file.info.bits_per_sample, 8);
  EXPECT_EQ(file.info.channels, 1);
  const auto& back = file.slices[0].image;
  ASSERT_EQ(back.height, 3);
  ASSERT_EQ(back.width, 5);
  EXPECT_EQ(back.at(0, 0), 0.f);
  EXPECT_EQ(back.at(2, 4), 255.f);
  EXPECT_EQ(back.at(1, 1), 13.f);
  EXPECT_EQ(back.at(2, 1), 131.f);

  const auto text = osgan::io::read_png_text(path);
  EXPECT_EQ(text.at("osgan:synthetic"), "true");
  EXPECT_EQ(text.at("Comment"), "Grauwert \xc3\xa4");  // non-ASCII: stored as UTF-8 iTXt
}

TEST(PngWriter, RejectsBadInputWithTheFileName) {
  ScratchDir dir("png");
  try {
    osgan::io::write_png_grey8(dir / "bad.png", osgan::io::Image(2, 2), {{"", "empty key"}});
    FAIL() << "expected an error for an empty key";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.png"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.png"));
  EXPECT_THROW(osgan::io::write_png_grey8(dir / "empty.png", osgan::io::Image()), osgan::Error);
  EXPECT_THROW(osgan::io::write_png_grey8(dir / "no" / "such" / "dir.png", osgan::io::Image(2, 2)), osgan::Error);
}

TEST(PngWriter, ReadTextRejectsNonPng) {
  ScratchDir dir("png");
  osgan::write_text_atomically(dir / "x.png", "not a png at all");
  try {
    osgan::io::read_png_text(dir / "x.png");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("x.png"), std::string::npos);
  }
  EXPECT_THROW(osgan::io::read_png_text(dir / "missing.png"), osgan::Error);
}
