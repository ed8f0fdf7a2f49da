// DICOM read back through read_image_file: rescale slope/intercept applied to stored values, MONOCHROME1
// inverted within the stored range, signed data, multi-frame with slice selection, RLE-compressed data.
#include <gtest/gtest.h>

#include <algorithm>

#include "osgan/core/error.h"
#include "osgan/io/image.h"
#include "support/test_support.h"
#include "unit/io/io_fixtures.h"

using namespace osgan::test;
using osgan::io::read_image_file;

namespace {

DicomSpec ramp_spec(int w, int h, int frames, int bits) {
  DicomSpec s;
  s.width = w, s.height = h, s.frames = frames, s.bits_allocated = bits, s.bits_stored = bits;
  for (int i = 0; i < w * h * frames; ++i) s.stored.push_back((i * 37) % (bits == 8 ? 256 : 50000));
  return s;
}

}  // namespace

TEST(ReadDicom, Monochrome2WithRescaleSlopeAndIntercept) {
  ScratchDir dir("io-dicom");
  DicomSpec s = ramp_spec(4, 3, 1, 16);
  s.stored[0] = 0;
  s.stored[1] = 1000;
  s.stored[2] = 40000;
  s.slope = 2.0;
  s.intercept = -1024.0;
  write_dicom(dir / "ct.dcm", s);
  EXPECT_EQ(osgan::io::detect_format(dir / "ct.dcm"), "dicom");
  const auto file = read_image_file(dir / "ct.dcm");
  EXPECT_EQ(file.info.format, "dicom");
  EXPECT_EQ(file.info.bits_per_sample, 16);
  EXPECT_EQ(file.info.frames, 1);
  ASSERT_EQ(file.slices.size(), 1u);
  const auto& img = file.slices[0].image;
  ASSERT_EQ(img.width, 4);
  ASSERT_EQ(img.height, 3);
  EXPECT_EQ(img.pixels[0], -1024.f);
  EXPECT_EQ(img.pixels[1], 976.f);
  EXPECT_EQ(img.pixels[2], 78976.f);
  for (std::size_t i = 0; i < s.stored.size(); ++i) EXPECT_EQ(img.pixels[i], 2.f * s.stored[i] - 1024.f) << i;
}

TEST(ReadDicom, Monochrome1IsInvertedWithinStoredRangeThenRescaled) {
  ScratchDir dir("io-dicom");
  DicomSpec s = ramp_spec(3, 2, 1, 16);
  s.bits_stored = 12;  // stored range 0..4095
  for (auto& v : s.stored) v %= 4096;
  s.stored[0] = 0;
  s.stored[1] = 100;
  s.stored[2] = 4095;
  s.monochrome1 = true;
  s.slope = 2.0;
  s.intercept = -1024.0;
  write_dicom(dir / "cr.dcm", s);
  const auto file = read_image_file(dir / "cr.dcm");
  const auto& p = file.slices.at(0).image.pixels;
  EXPECT_EQ(p[0], 2.f * 4095 - 1024);  // stored 0 (white in MONOCHROME1) becomes the top of the range
  EXPECT_EQ(p[1], 2.f * 3995 - 1024);
  EXPECT_EQ(p[2], -1024.f);
  for (std::size_t i = 0; i < s.stored.size(); ++i) EXPECT_EQ(p[i], 2.f * (4095 - s.stored[i]) - 1024.f) << i;
}

// A sequence the writer had no dictionary entry for is stored as UN with undefined length, its items in
// implicit VR even in an explicit-VR file (CP-246). The structure check must walk them as GDCM reads them.
TEST(ReadDicom, PrivateSequenceStoredAsUnIsReadInImplicitVr) {
  ScratchDir dir("io-dicom");
  DicomSpec s = ramp_spec(4, 3, 1, 16);
  s.un_sequence = true;
  write_dicom(dir / "cp246.dcm", s);
  // The item's element is written with an implicit-VR header: tag (0021,1011) then a 4-byte length of 4.
  const std::vector<std::uint8_t> raw = read_bytes(dir / "cp246.dcm");
  const std::string bytes(raw.begin(), raw.end());
  const std::string implicit_element("\x21\x00\x11\x10\x04\x00\x00\x00" "ABCD", 12);
  ASSERT_NE(bytes.find(implicit_element), std::string::npos) << "the fixture no longer writes a CP-246 sequence";
  const auto file = read_image_file(dir / "cp246.dcm");
  ASSERT_EQ(file.slices.size(), 1u);
  for (std::size_t i = 0; i < s.stored.size(); ++i) EXPECT_EQ(file.slices[0].image.pixels[i], float(s.stored[i])) << i;
}

TEST(ReadDicom, SignedStoredValues) {
  ScratchDir dir("io-dicom");
  DicomSpec s = ramp_spec(2, 2, 1, 16);
  s.is_signed = true;
  s.stored = {-2000, -1, 0, 32767};
  write_dicom(dir / "signed.dcm", s);
  const auto file = read_image_file(dir / "signed.dcm");
  const auto& p = file.slices.at(0).image.pixels;
  EXPECT_EQ(p[0], -2000.f);
  EXPECT_EQ(p[1], -1.f);
  EXPECT_EQ(p[2], 0.f);
  EXPECT_EQ(p[3], 32767.f);
}

TEST(ReadDicom, MultiFrameEachFrameASliceWithSelection) {
  ScratchDir dir("io-dicom");
  DicomSpec s = ramp_spec(4, 2, 5, 8);
  for (int f = 0; f < 5; ++f)
    for (int i = 0; i < 8; ++i) s.stored[static_cast<std::size_t>(f) * 8 + i] = f * 40 + i;
  write_dicom(dir / "multi.dcm", s);

  const auto all = read_image_file(dir / "multi.dcm");
  EXPECT_EQ(all.info.frames, 5);
  ASSERT_EQ(all.slices.size(), 5u);
  for (int f = 0; f < 5; ++f) {
    EXPECT_EQ(all.slices[f].index, f);
    for (int i = 0; i < 8; ++i) EXPECT_EQ(all.slices[f].image.pixels[i], float(f * 40 + i)) << "frame " << f;
  }

  osgan::io::ReadOptions middle;
  middle.slices.kind = osgan::io::SliceSelection::Kind::middle;
  middle.slices.middle_count = 3;
  const auto mid = read_image_file(dir / "multi.dcm", middle);
  ASSERT_EQ(mid.slices.size(), 3u);
  EXPECT_EQ(mid.slices[0].index, 1);
  EXPECT_EQ(mid.slices[2].index, 3);
  EXPECT_EQ(mid.slices[0].image.pixels[0], 40.f);

  osgan::io::ReadOptions range;
  range.slices.kind = osgan::io::SliceSelection::Kind::range;
  range.slices.first = 3;
  range.slices.last = -1;
  const auto tail = read_image_file(dir / "multi.dcm", range);
  ASSERT_EQ(tail.slices.size(), 2u);
  EXPECT_EQ(tail.slices[0].index, 3);
  EXPECT_EQ(tail.slices[1].image.pixels[7], float(4 * 40 + 7));

  range.slices.first = 7;  // past the last frame
  EXPECT_THROW(read_image_file(dir / "multi.dcm", range), osgan::Error);
}

TEST(ReadDicom, RgbBecomesBt601Luma) {
  ScratchDir dir("io-dicom");
  DicomSpec s = ramp_spec(2, 1, 1, 8);
  s.rgb = true;
  s.stored = {255, 0, 0, 10, 200, 30};
  write_dicom(dir / "rgb.dcm", s);
  const auto file = read_image_file(dir / "rgb.dcm");
  EXPECT_EQ(file.info.channel_mode, "rgb");
  const auto& p = file.slices.at(0).image.pixels;
  EXPECT_NEAR(p[0], 0.299f * 255, 1e-3);
  EXPECT_NEAR(p[1], 0.299f * 10 + 0.587f * 200 + 0.114f * 30, 1e-3);
}

TEST(ReadDicom, JpegBaselineGreyDecodesCloseToStored) {
  // Lossy: values within a few grey levels. (No RGB case: GDCM's own writer labels YCbCr JPEG data "RGB",
  // and its decoder then returns YCbCr, so such a file cannot serve as a reference.)
  ScratchDir dir("io-dicom");
  DicomSpec s = ramp_spec(16, 16, 1, 8);
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) s.stored[y * 16 + x] = 60 + 5 * x + 3 * y;  // smooth ramp
  s.compression = "jpeg-baseline";
  write_dicom(dir / "jpeg.dcm", s);
  const auto bytes = read_bytes(dir / "jpeg.dcm");
  const std::string uid = "1.2.840.10008.1.2.4.50";
  ASSERT_NE(std::search(bytes.begin(), bytes.end(), uid.begin(), uid.end()), bytes.end()) << "not JPEG baseline";
  const auto file = read_image_file(dir / "jpeg.dcm");
  const auto& p = file.slices.at(0).image.pixels;
  for (std::size_t i = 0; i < p.size(); ++i) ASSERT_NEAR(p[i], float(s.stored[i]), 3.f) << i;
}

// Every lossless compressed transfer syntax GDCM can write must read back to the exact stored values.
// Param: (fixture compression name, transfer syntax UID that must appear in the file).
class ReadDicomCompressed : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(ReadDicomCompressed, DecodesExactlyWithRescale) {
  ScratchDir dir("io-dicom");
  DicomSpec s = ramp_spec(8, 6, 3, 16);
  s.compression = GetParam().first;
  s.slope = 2.0;
  s.intercept = -1024.0;
  write_dicom(dir / "c.dcm", s);
  const auto bytes = read_bytes(dir / "c.dcm");
  const std::string uid = GetParam().second;
  ASSERT_NE(std::search(bytes.begin(), bytes.end(), uid.begin(), uid.end()), bytes.end()) << "not compressed as " << uid;
  const auto file = read_image_file(dir / "c.dcm");
  ASSERT_EQ(file.slices.size(), 3u);
  for (int f = 0; f < 3; ++f)
    for (std::size_t i = 0; i < 48; ++i)
      ASSERT_EQ(file.slices[f].image.pixels[i], 2.f * s.stored[f * 48 + i] - 1024.f) << "frame " << f << " pixel " << i;
}

INSTANTIATE_TEST_SUITE_P(Syntaxes, ReadDicomCompressed, 
                         ::testing::Values(std::make_pair("rle", "1.2.840.10008.1.2.5"),
                                           std::make_pair("jpeg-lossless", "1.2.840.10008.1.2.4.70"),
                                           std::make_pair("jpeg-ls", "1.2.840.10008.1.2.4.80"),
                                           std::make_pair("jpeg2000", "1.2.840.10008.1.2.4.90")));
