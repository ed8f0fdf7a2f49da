// Header repairs of the 2D formats (JPEG, TIFF, BMP): one hostile file per field, built here byte by byte or through
// libjpeg. Each must be refused by a strict read naming the file and the field, and read with a warning naming them
// otherwise (header_repair_checks.h). PNG has none: libpng's fixes are errors in osgan, and the chunks it skips
// (gamma, colour profiles, text) are display metadata that osgan applies to no file.
#include <gtest/gtest.h>

#include <cstdio>  // before jpeglib.h

#include <jpeglib.h>

#include <algorithm>
#include <cstdlib>

#include "support/test_support.h"
#include "unit/io/header_repair_checks.h"

namespace fs = std::filesystem;
using namespace osgan::test;
using osgan::io::read_image_file;

namespace {

// --- JPEG ---

struct JpegSpec {
  int components = 3;
  J_COLOR_SPACE in_space = JCS_RGB, jpeg_space = JCS_YCbCr;
  bool jfif = true, adobe = false;
  std::vector<int> ids;  // component ids; empty keeps libjpeg's (1, 2, 3...)
};

// An 8x8 JPEG of constant samples (100 in every component) through libjpeg.
std::vector<std::uint8_t> libjpeg_bytes(const JpegSpec& spec) {
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &out, &size);
  c.image_width = c.image_height = 8;
  c.input_components = spec.components;
  c.in_color_space = spec.in_space;
  jpeg_set_defaults(&c);
  jpeg_set_colorspace(&c, spec.jpeg_space);
  c.write_JFIF_header = spec.jfif;
  c.write_Adobe_marker = spec.adobe;
  for (std::size_t i = 0; i < spec.ids.size(); ++i) c.comp_info[i].component_id = spec.ids[i];
  jpeg_start_compress(&c, TRUE);
  std::vector<unsigned char> row(std::size_t(8) * spec.components, 100);
  while (c.next_scanline < c.image_height) {
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  std::vector<std::uint8_t> bytes(out, out + size);
  jpeg_destroy_compress(&c);
  std::free(out);
  return bytes;
}

// `jpeg` with an APP1 Exif segment after SOI whose IFD0 holds Orientation = `orientation` (byte order II or MM).
std::vector<std::uint8_t> with_exif_orientation(std::vector<std::uint8_t> jpeg, int orientation, bool big_endian) {
  const auto u16 = [&](unsigned v) {
    return big_endian ? std::vector<std::uint8_t>{std::uint8_t(v >> 8), std::uint8_t(v)}
                      : std::vector<std::uint8_t>{std::uint8_t(v), std::uint8_t(v >> 8)};
  };
  const auto u32 = [&](unsigned v) {
    auto hi = u16(v >> 16), lo = u16(v & 0xFFFF);
    if (big_endian) return std::vector<std::uint8_t>{hi[0], hi[1], lo[0], lo[1]};
    return std::vector<std::uint8_t>{lo[0], lo[1], hi[0], hi[1]};
  };
  std::vector<std::uint8_t> tiff = big_endian ? std::vector<std::uint8_t>{'M', 'M'} : std::vector<std::uint8_t>{'I', 'I'};
  for (const auto& part : {u16(42), u32(8), u16(1), u16(0x0112), u16(3), u32(1), u16(unsigned(orientation)), u16(0), u32(0)})
    tiff.insert(tiff.end(), part.begin(), part.end());
  std::vector<std::uint8_t> segment = {0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
  segment.insert(segment.end(), tiff.begin(), tiff.end());
  const std::size_t length = segment.size() - 2;
  segment[2] = std::uint8_t(length >> 8), segment[3] = std::uint8_t(length);
  jpeg.insert(jpeg.begin() + 2, segment.begin(), segment.end());
  return jpeg;
}

// --- TIFF, little-endian, one strip of 8-bit samples at offset 8 ---

struct Tag {
  std::uint16_t tag, type;  // type 3 SHORT or 4 LONG, one value, held in the entry
  std::uint32_t value;
};

// A TIFF of `pixels` (one strip) with the baseline tags of a width x height MinIsBlack image, changed by `changes`
// (a tag with value UINT32_MAX is removed); `pages` IFDs, all pointing at the same strip.
std::vector<std::uint8_t> tiff_bytes(std::uint32_t width, std::uint32_t height, const std::vector<std::uint8_t>& pixels,
                                     const std::vector<Tag>& changes = {}, int pages = 1) {
  std::vector<Tag> tags = {{256, 4, width}, {257, 4, height}, {258, 3, 8},  {259, 3, 1},
                           {262, 3, 1},     {273, 4, 8},      {277, 3, 1},  {278, 4, height},
                           {279, 4, std::uint32_t(pixels.size())}};
  for (const auto& c : changes) {
    tags.erase(std::remove_if(tags.begin(), tags.end(), [&](const Tag& t) { return t.tag == c.tag; }), tags.end());
    if (c.value != UINT32_MAX) tags.push_back(c);
  }
  std::sort(tags.begin(), tags.end(), [](const Tag& a, const Tag& b) { return a.tag < b.tag; });
  std::vector<std::uint8_t> b(8 + pixels.size() + pixels.size() % 2, 0);  // header, strip, padding to a word
  b[0] = b[1] = 'I', b[2] = 42;
  for (std::size_t i = 0; i < pixels.size(); ++i) b[8 + i] = pixels[i];
  const auto put16 = [&](unsigned v) { b.push_back(std::uint8_t(v)), b.push_back(std::uint8_t(v >> 8)); };
  const auto put32 = [&](std::uint32_t v) { put16(v & 0xFFFF), put16(v >> 16); };
  const auto ifd_size = 2 + 12 * tags.size() + 4;
  const auto first_ifd = static_cast<std::uint32_t>(b.size());
  std::memcpy(b.data() + 4, &first_ifd, 4);
  for (int page = 0; page < pages; ++page) {
    put16(static_cast<unsigned>(tags.size()));
    for (const auto& t : tags) {
      put16(t.tag), put16(t.type), put32(1);
      if (t.type == 3) put16(t.value), put16(0);
      else put32(t.value);
    }
    put32(page + 1 < pages ? static_cast<std::uint32_t>(b.size() + 4) : 0);  // the next IFD follows directly
  }
  EXPECT_EQ(b.size(), first_ifd + pages * ifd_size);
  return b;
}

// --- BMP, BITMAPINFOHEADER ---

// A BMP of `width` x `height` (bottom-up) with `bits` per pixel, no compression, `palette` (BGRA entries) and rows
// already padded to 4 bytes.
std::vector<std::uint8_t> bmp_bytes(int width, int height, int bits, const std::vector<std::uint8_t>& palette,
                                    const std::vector<std::uint8_t>& rows) {
  std::vector<std::uint8_t> b;
  const auto put16 = [&](unsigned v) { b.push_back(std::uint8_t(v)), b.push_back(std::uint8_t(v >> 8)); };
  const auto put32 = [&](std::uint32_t v) { put16(v & 0xFFFF), put16(v >> 16); };
  const auto offset = static_cast<std::uint32_t>(14 + 40 + palette.size());
  b = {'B', 'M'};
  put32(offset + static_cast<std::uint32_t>(rows.size())), put32(0), put32(offset);
  put32(40), put32(std::uint32_t(width)), put32(std::uint32_t(height)), put16(1), put16(unsigned(bits));
  put32(0), put32(static_cast<std::uint32_t>(rows.size())), put32(2835), put32(2835), put32(0), put32(0);
  b.insert(b.end(), palette.begin(), palette.end());
  b.insert(b.end(), rows.begin(), rows.end());
  return b;
}

}  // namespace

// --- JPEG ---

TEST(HeaderRepairs, JpegExifOrientationIsIgnored) {
  ScratchDir dir("io-repairs");
  const auto plain = libjpeg_bytes({});
  write_bytes(dir / "upright.jpg", with_exif_orientation(plain, 1, false));
  expect_clean(dir / "upright.jpg");
  write_bytes(dir / "rotated.jpg", with_exif_orientation(plain, 6, false));
  const auto file = expect_repair(dir / "rotated.jpg", "Exif Orientation");
  EXPECT_EQ(file.info.repairs[0].value, "6");
  EXPECT_NEAR(file.slices[0].image.pixels[0], 100.f, 2.f);
  write_bytes(dir / "flipped_mm.jpg", with_exif_orientation(plain, 3, true));
  EXPECT_EQ(expect_repair(dir / "flipped_mm.jpg", "Exif Orientation").info.repairs[0].value, "3");
}

TEST(HeaderRepairs, JpegCmykWithoutAnAdobeMarkerIsGuessed) {
  ScratchDir dir("io-repairs");
  JpegSpec cmyk;
  cmyk.components = 4, cmyk.in_space = cmyk.jpeg_space = JCS_CMYK, cmyk.jfif = false, cmyk.adobe = true;
  write_bytes(dir / "adobe.jpg", libjpeg_bytes(cmyk));
  expect_clean(dir / "adobe.jpg");
  cmyk.adobe = false;
  write_bytes(dir / "bare.jpg", libjpeg_bytes(cmyk));
  const auto file = expect_repair(dir / "bare.jpg", "Adobe APP14 marker");
  EXPECT_NEAR(file.slices[0].image.pixels[0], 100.f * 100.f / 255.f, 2.f);  // inverted CMYK: C * K / 255
}

TEST(HeaderRepairs, JpegColourSpaceGuessedFromUnknownComponentIds) {
  ScratchDir dir("io-repairs");
  JpegSpec spec;
  spec.jfif = false;
  write_bytes(dir / "ids_123.jpg", libjpeg_bytes(spec));  // 1, 2, 3: JFIF's ids, YCbCr by convention
  expect_clean(dir / "ids_123.jpg");
  spec.ids = {4, 5, 6};
  write_bytes(dir / "ids_456.jpg", libjpeg_bytes(spec));
  const auto file = expect_repair(dir / "ids_456.jpg", "JPEG component ids");
  EXPECT_EQ(file.info.repairs[0].value, "4,5,6");
}

// --- TIFF ---

TEST(HeaderRepairs, TiffHandMadeBaselineIsClean) {
  ScratchDir dir("io-repairs");
  write_bytes(dir / "ok.tif", tiff_bytes(4, 2, {1, 2, 3, 4, 5, 6, 7, 8}));
  expect_clean(dir / "ok.tif");
  EXPECT_EQ(read_image_file(dir / "ok.tif").slices[0].image.pixels[5], 6.f);
}

TEST(HeaderRepairs, TiffMissingPhotometricIsGuessed) {
  ScratchDir dir("io-repairs");
  write_bytes(dir / "no_photometric.tif", tiff_bytes(4, 2, {1, 2, 3, 4, 5, 6, 7, 8}, {{262, 3, UINT32_MAX}}));
  const auto file = expect_repair(dir / "no_photometric.tif", "TIFF Photometric");
  EXPECT_EQ(file.slices[0].image.pixels[2], 3.f);
}

TEST(HeaderRepairs, TiffOrientationIsIgnoredOrAppliedWithoutTransposition) {
  ScratchDir dir("io-repairs");
  write_bytes(dir / "upside_down.tif", tiff_bytes(4, 2, {1, 2, 3, 4, 5, 6, 7, 8}, {{274, 3, 3}}));
  const auto file = expect_repair(dir / "upside_down.tif", "TIFF Orientation");
  EXPECT_EQ(file.slices[0].image.pixels[0], 1.f);  // stored order
  // A bilevel image goes through libtiff's RGBA conversion, which flips but cannot transpose.
  write_bytes(dir / "transposed.tif", tiff_bytes(8, 2, {0xF0, 0x0F}, {{258, 3, 1}, {274, 3, 6}}));
  expect_repair(dir / "transposed.tif", "TIFF Orientation");
}

TEST(HeaderRepairs, TiffTagWithABadValueIsDroppedByLibtiff) {
  ScratchDir dir("io-repairs");
  write_bytes(dir / "bad_orientation.tif", tiff_bytes(4, 2, {1, 2, 3, 4, 5, 6, 7, 8}, {{274, 3, 9}}));
  expect_repair(dir / "bad_orientation.tif", "TIFF Orientation");
}

TEST(HeaderRepairs, TiffExtraSampleWithoutExtraSamplesTagIsGuessed) {
  ScratchDir dir("io-repairs");
  write_bytes(dir / "two_samples.tif", tiff_bytes(2, 2, {10, 255, 20, 255, 30, 255, 40, 255}, {{277, 3, 2}}));
  const auto file = expect_repair(dir / "two_samples.tif", "TIFF ExtraSamples");
  EXPECT_EQ(file.slices[0].image.pixels[1], 20.f);  // the second sample is not taken as alpha
}

TEST(HeaderRepairs, TiffMissingStripByteCountsIsEstimatedByLibtiff) {
  ScratchDir dir("io-repairs");
  write_bytes(dir / "no_counts.tif", tiff_bytes(4, 2, {1, 2, 3, 4, 5, 6, 7, 8}, {{279, 4, UINT32_MAX}}));
  expect_repair(dir / "no_counts.tif", "TIFF StripByteCounts");
}

TEST(HeaderRepairs, TiffPagesAfterTheFirstAreIgnored) {
  ScratchDir dir("io-repairs");
  write_bytes(dir / "pages.tif", tiff_bytes(4, 2, {1, 2, 3, 4, 5, 6, 7, 8}, {}, /*pages=*/2));
  expect_repair(dir / "pages.tif", "TIFF page count");
}

TEST(HeaderRepairs, TiffSignedSamplesThroughTheRgbaConversionAreReadUnsigned) {
  ScratchDir dir("io-repairs");
  // Signed MinIsWhite has no direct path: libtiff's 8-bit conversion reads the samples as unsigned.
  write_bytes(dir / "signed_miw.tif", tiff_bytes(4, 2, {1, 2, 3, 4, 5, 6, 7, 8}, {{262, 3, 0}, {339, 3, 2}}));
  expect_repair(dir / "signed_miw.tif", "TIFF SampleFormat");
}

// --- BMP ---

TEST(HeaderRepairs, BmpUnusedFourthByteTakenAsAlphaIsAGuess) {
  ScratchDir dir("io-repairs");
  // 2x1 pixels, BGRX: the fourth byte is unused in BI_RGB. All zero, stb ignores it; 128, stb takes it as alpha.
  write_bytes(dir / "x0.bmp", bmp_bytes(2, 1, 32, {}, {200, 200, 200, 0, 100, 100, 100, 0}));
  expect_clean(dir / "x0.bmp");
  write_bytes(dir / "x128.bmp", bmp_bytes(2, 1, 32, {}, {200, 200, 200, 128, 100, 100, 100, 255}));
  const auto file = expect_repair(dir / "x128.bmp", "BMP 32-bit BI_RGB fourth byte");
  EXPECT_NEAR(file.slices[0].image.pixels[0], 200.f * 128.f / 255.f, 1e-3);
}

TEST(HeaderRepairs, BmpPaletteIndexPastTheColourTableIsRefused) {
  ScratchDir dir("io-repairs");
  const std::vector<std::uint8_t> two_colours = {0, 0, 0, 0, 255, 255, 255, 0};
  write_bytes(dir / "ok.bmp", bmp_bytes(4, 1, 8, two_colours, {0, 1, 1, 0}));
  expect_clean(dir / "ok.bmp");
  write_bytes(dir / "index5.bmp", bmp_bytes(4, 1, 8, two_colours, {0, 1, 5, 0}));
  for (const bool strict : {false, true}) {
    osgan::io::ReadOptions options;
    options.strict = strict;
    try {
      read_image_file(dir / "index5.bmp", options);
      ADD_FAILURE() << "a palette index past the colour table was read (strict " << strict << ")";
    } catch (const osgan::Error& e) {
      EXPECT_NE(std::string(e.what()).find("index5.bmp"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("colour table"), std::string::npos) << e.what();
    }
  }
}
