// Hostile and broken input: every case must end in one osgan::Error line that names the file, never a
// crash, hang or silently wrong image. Also the limits (file size, pixel count from the header).
#include <gtest/gtest.h>
#include <algorithm>
#include <nifti2_io.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "osgan/core/error.h"
#include "osgan/io/image.h"
#include "support/test_support.h"
#include "unit/io/io_fixtures.h"

namespace fs = std::filesystem;
using namespace osgan::test;
using osgan::ErrorCode;
using osgan::io::read_image_file;
using osgan::io::ReadOptions;

namespace {

// Reads `path` expecting an osgan::Error; checks the message is one line naming the file and returns it.
std::string expect_read_error(const fs::path& path, const ReadOptions& options = {}) {
  try {
    read_image_file(path, options);
  } catch (const osgan::Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path.string()), std::string::npos) << "message does not name the file: " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "message is not one line: " << msg;
    return msg;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected osgan::Error for " << path << ", got another exception: " << e.what();
    return {};
  }
  ADD_FAILURE() << "expected osgan::Error for " << path << ", but it was read";
  return {};
}

void truncate_to(const fs::path& path, double fraction) {
  auto bytes = read_bytes(path);
  bytes.resize(static_cast<std::size_t>(bytes.size() * fraction));
  write_bytes(path, bytes);
}

std::vector<std::uint16_t> noise(std::size_t n, int range) {
  std::vector<std::uint16_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint16_t>((i * 2654435761u >> 7) % range);
  return v;
}

// Offset of the first FF <marker> after SOI in a JPEG's bytes, or 0 when there is none.
std::size_t find_jpeg_marker(const std::vector<std::uint8_t>& bytes, std::uint8_t marker) {
  for (std::size_t i = 2; i + 1 < bytes.size(); ++i)
    if (bytes[i] == 0xFF && bytes[i + 1] == marker) return i;
  return 0;
}

}  // namespace

TEST(BadFiles, TruncatedPng) {
  ScratchDir dir("io-bad");
  write_png(dir / "t.png", 64, 64, 1, 8, noise(64 * 64, 256));
  truncate_to(dir / "t.png", 0.5);
  expect_read_error(dir / "t.png");
}

TEST(BadFiles, TruncatedJpeg) {
  ScratchDir dir("io-bad");
  std::vector<std::uint8_t> px(64 * 64 * 3);
  for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<std::uint8_t>((i * 2654435761u) >> 24);
  write_jpeg(dir / "t.jpg", 64, 64, 3, px, 90);
  truncate_to(dir / "t.jpg", 0.5);
  expect_read_error(dir / "t.jpg");
}

// stb_image reads past the end of a BMP as zeros; the reader checks that every row of pixels is in the file.
TEST(BadFiles, BmpCutInsideItsPixelRows) {
  ScratchDir dir("io-bad");
  write_bmp(dir / "t.bmp", 16, 16, 3, std::vector<std::uint8_t>(16 * 16 * 3, 200));
  ASSERT_NO_THROW(read_image_file(dir / "t.bmp"));
  auto bytes = read_bytes(dir / "t.bmp");
  bytes.resize(bytes.size() - 10);
  write_bytes(dir / "cut.bmp", bytes);
  EXPECT_NE(expect_read_error(dir / "cut.bmp").find("truncated BMP"), std::string::npos);
}

// A JPEG cut inside its entropy-coded data, or just before its end marker: libjpeg warns and would pad it with an
// invented end; the reader refuses it.
TEST(BadFiles, JpegCutBeforeItsEndMarker) {
  ScratchDir dir("io-bad");
  std::vector<std::uint8_t> px(64 * 64 * 3);
  for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<std::uint8_t>((i * 2654435761u) >> 24);
  write_jpeg(dir / "t.jpg", 64, 64, 3, px, 90);
  ASSERT_NO_THROW(read_image_file(dir / "t.jpg"));
  auto bytes = read_bytes(dir / "t.jpg");
  for (std::size_t cut : {std::size_t{2}, std::size_t{40}, bytes.size() / 4}) {
    auto shorter = bytes;
    shorter.resize(bytes.size() - cut);
    write_bytes(dir / "cut.jpg", shorter);
    EXPECT_NE(expect_read_error(dir / "cut.jpg").find("truncated JPEG"), std::string::npos) << "cut " << cut;
  }
}

// A header declaring far more blocks than the scan's bytes can code: libjpeg meets the end marker mid-scan.
TEST(BadFiles, JpegWithTooLittleDataForItsSize) {
  ScratchDir dir("io-bad");
  write_jpeg(dir / "a.jpg", 16, 16, 3, std::vector<std::uint8_t>(16 * 16 * 3, 90), 90);
  auto bytes = read_bytes(dir / "a.jpg");
  const std::size_t sof = find_jpeg_marker(bytes, 0xC0);
  ASSERT_GT(sof, 0u) << "fixture JPEG has no baseline SOF";
  // SOF0: FF C0, length (2), precision, height (2), width (2): declare 4096 x 4096.
  bytes[sof + 5] = 0x10, bytes[sof + 6] = 0x00, bytes[sof + 7] = 0x10, bytes[sof + 8] = 0x00;
  write_bytes(dir / "a.jpg", bytes);
  EXPECT_NE(expect_read_error(dir / "a.jpg").find("damaged JPEG"), std::string::npos);
}

TEST(BadFiles, ZeroByteFile) {
  ScratchDir dir("io-bad");
  write_bytes(dir / "empty.png", {});
  EXPECT_NE(expect_read_error(dir / "empty.png").find("empty"), std::string::npos);
  EXPECT_EQ(osgan::io::detect_format(dir / "empty.png"), "");
}

TEST(BadFiles, TextFileNamedPng) {
  ScratchDir dir("io-bad");
  const std::string text = "this is not an image\n";
  write_bytes(dir / "notes.png", std::vector<std::uint8_t>(text.begin(), text.end()));
  EXPECT_FALSE(osgan::io::is_supported_image(dir / "notes.png"));
  expect_read_error(dir / "notes.png");
}

TEST(BadFiles, DirectoryNamedLikeAnImage) {
  ScratchDir dir("io-bad");
  fs::create_directory(dir / "a.png");
  EXPECT_FALSE(osgan::io::is_supported_image(dir / "a.png"));
  EXPECT_NE(expect_read_error(dir / "a.png").find("directory"), std::string::npos);
}

TEST(BadFiles, SymlinkLoop) {
  ScratchDir dir("io-bad");
  fs::create_symlink(dir / "b.png", dir / "a.png");
  fs::create_symlink(dir / "a.png", dir / "b.png");
  EXPECT_FALSE(osgan::io::is_supported_image(dir / "a.png"));
  EXPECT_NE(expect_read_error(dir / "a.png").find("symbolic links"), std::string::npos);
}

TEST(BadFiles, FifoNamedLikeAnImageDoesNotHang) {
  ScratchDir dir("io-bad");
  ASSERT_EQ(::mkfifo((dir / "pipe.png").c_str(), 0600), 0);
  EXPECT_FALSE(osgan::io::is_supported_image(dir / "pipe.png"));  // would block forever if it opened the FIFO
  EXPECT_NE(expect_read_error(dir / "pipe.png").find("not a regular file"), std::string::npos);
}

TEST(BadFiles, MissingFile) {
  ScratchDir dir("io-bad");
  EXPECT_NE(expect_read_error(dir / "nope.png").find("not found"), std::string::npos);
}

TEST(BadFiles, UnreadableFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: chmod 000 does not stop root from reading";
  ScratchDir dir("io-bad");
  write_png(dir / "locked.png", 4, 4, 1, 8, noise(16, 256));
  fs::permissions(dir / "locked.png", fs::perms::none);
  EXPECT_NE(expect_read_error(dir / "locked.png").find("permission denied"), std::string::npos);
}

TEST(BadFiles, FileOverSizeLimit) {
  ScratchDir dir("io-bad");
  write_png(dir / "a.png", 16, 16, 1, 8, noise(256, 256));
  ReadOptions options;
  options.limits.max_file_bytes = 20;
  EXPECT_NE(expect_read_error(dir / "a.png", options).find("over the limit"), std::string::npos);
}

TEST(BadFiles, PngHeaderWithHugeDimensions) {
  ScratchDir dir("io-bad");
  write_png(dir / "bomb.png", 4, 4, 1, 8, noise(16, 256));
  auto bytes = read_bytes(dir / "bomb.png");
  // IHDR data starts at byte 16: width and height big-endian; then fix the chunk CRC (type + data).
  const std::uint32_t side = 100000;
  for (int k = 0; k < 2; ++k)
    for (int b = 0; b < 4; ++b) bytes[16 + 4 * k + b] = static_cast<std::uint8_t>(side >> (24 - 8 * b));
  const auto crc = static_cast<std::uint32_t>(crc32(0, bytes.data() + 12, 17));
  for (int b = 0; b < 4; ++b) bytes[29 + b] = static_cast<std::uint8_t>(crc >> (24 - 8 * b));
  write_bytes(dir / "bomb.png", bytes);
  EXPECT_NE(expect_read_error(dir / "bomb.png").find("100000x100000"), std::string::npos);
}

TEST(BadFiles, PixelLimitFromHeaderForEachFormat) {
  ScratchDir dir("io-bad");
  ReadOptions small;
  small.limits.max_pixels = 10;
  write_png(dir / "a.png", 5, 3, 1, 8, noise(15, 256));
  write_tiff(dir / "a.tif", 5, 3, 1, 8, false, std::vector<double>(15, 1.0));
  DicomSpec s;
  s.width = 5, s.height = 3, s.stored.assign(15, 1);
  write_dicom(dir / "a.dcm", s);
  write_nifti(dir / "a.nii", 5, 3, 1, DT_UINT8, std::vector<double>(15, 1.0));
  for (const char* name : {"a.png", "a.tif", "a.dcm", "a.nii"}) {
    EXPECT_NE(expect_read_error(dir / name, small).find("exceed the limit"), std::string::npos) << name;
    EXPECT_NO_THROW(read_image_file(dir / name)) << name;  // fine with the default limits
  }
}

TEST(BadFiles, TruncatedTiff) {
  ScratchDir dir("io-bad");
  std::vector<double> px(64 * 64);
  for (std::size_t i = 0; i < px.size(); ++i) px[i] = double((i * 2654435761u >> 7) % 65536);
  write_tiff(dir / "t.tif", 64, 64, 1, 16, false, px);
  truncate_to(dir / "t.tif", 0.5);
  expect_read_error(dir / "t.tif");
}

TEST(BadFiles, CorruptDicom) {
  ScratchDir dir("io-bad");
  DicomSpec s;
  s.width = 32, s.height = 32;
  for (int i = 0; i < 32 * 32; ++i) s.stored.push_back(i);
  write_dicom(dir / "t.dcm", s);
  truncate_to(dir / "t.dcm", 0.5);  // pixel data cut short
  expect_read_error(dir / "t.dcm");

  // A preamble and "DICM" followed by garbage.
  std::vector<std::uint8_t> junk(128, 0);
  for (char c : std::string("DICM")) junk.push_back(static_cast<std::uint8_t>(c));
  for (int i = 0; i < 300; ++i) junk.push_back(static_cast<std::uint8_t>(i * 131 + 7));
  write_bytes(dir / "junk.dcm", junk);
  EXPECT_EQ(osgan::io::detect_format(dir / "junk.dcm"), "dicom");
  expect_read_error(dir / "junk.dcm");
}

TEST(BadFiles, DicomWithUndecodableTransferSyntaxNamesIt) {
  ScratchDir dir("io-bad");
  DicomSpec s;
  s.width = 8, s.height = 8, s.compression = "rle";
  for (int i = 0; i < 64; ++i) s.stored.push_back(i);
  write_dicom(dir / "rle.dcm", s);
  relabel_dicom_as_mpeg2(dir / "rle.dcm", dir / "mpeg2.dcm");
  const std::string msg = expect_read_error(dir / "mpeg2.dcm");
  EXPECT_NE(msg.find("1.2.840.10008.1.2.4.100"), std::string::npos) << msg;
}

// RLE frames start with a header of segment count and offsets that GDCM trusts (a fuzzed count crashed it).
TEST(BadFiles, DicomRleHeaderWithBadSegmentCountOrOffset) {
  ScratchDir dir("io-bad");
  DicomSpec s;
  s.width = 8, s.height = 8, s.compression = "rle";
  for (int i = 0; i < 64; ++i) s.stored.push_back(i * 997 % 65536);
  write_dicom(dir / "rle.dcm", s);
  ASSERT_NO_THROW(read_image_file(dir / "rle.dcm"));
  const auto good = read_bytes(dir / "rle.dcm");
  // 16-bit samples: two segments, the first at byte 64 of the frame.
  const std::vector<std::uint8_t> header = {2, 0, 0, 0, 64, 0, 0, 0};
  const auto at = std::search(good.begin(), good.end(), header.begin(), header.end());
  ASSERT_NE(at, good.end()) << "no RLE header found in the fixture";
  const std::size_t h = static_cast<std::size_t>(at - good.begin());

  auto count = good;
  count[h + 2] = 2;  // 131074 segments, as the fuzzer found
  write_bytes(dir / "count.dcm", count);
  EXPECT_NE(expect_read_error(dir / "count.dcm").find("RLE frame 0 declares 131074 segments"), std::string::npos);

  auto offset = good;
  offset[h + 10] = 0x7F;  // the second segment's offset far past the frame's end
  write_bytes(dir / "offset.dcm", offset);
  EXPECT_NE(expect_read_error(dir / "offset.dcm").find("RLE frame 0 segment 1"), std::string::npos);

  auto first = good;
  first[h + 4] = 60;  // the first segment inside the header
  write_bytes(dir / "first.dcm", first);
  EXPECT_NE(expect_read_error(dir / "first.dcm").find("RLE frame 0 segment 0 at offset 60"), std::string::npos);
}

// Writes an 8x8, 8-bit DICOM file compressed as `compression`, checks that it reads, then sets its Bits Allocated to
// `bits` and returns the read error.
static std::string bits_allocated_error(const std::string& compression, std::uint8_t bits) {
  ScratchDir dir("io-bad");
  DicomSpec s;
  s.width = 8, s.height = 8, s.bits_allocated = 8, s.bits_stored = 8, s.compression = compression;
  for (int i = 0; i < 64; ++i) s.stored.push_back(i * 3);
  write_dicom(dir / "image.dcm", s);
  EXPECT_NO_THROW(read_image_file(dir / "image.dcm")) << compression;
  auto bytes = read_bytes(dir / "image.dcm");
  // (0028,0100) US, length 2, value 8, in explicit VR little endian.
  const std::vector<std::uint8_t> element = {0x28, 0x00, 0x00, 0x01, 'U', 'S', 0x02, 0x00, 0x08, 0x00};
  const auto at = std::search(bytes.begin(), bytes.end(), element.begin(), element.end());
  if (at == bytes.end()) return "no Bits Allocated element found in the fixture";
  at[8] = bits;
  write_bytes(dir / "image.dcm", bytes);
  return expect_read_error(dir / "image.dcm");
}

// GDCM chooses its JPEG decoder by Bits Allocated and asserts when none fits (fuzz finding: 64); its RLE decoder
// asserts on a sample size that is not whole bytes (fuzz finding: 151).
TEST(BadFiles, DicomCompressedWithImpossibleBitsAllocated) {
  const struct { const char* compression; std::uint8_t bits; const char* expected; } cases[] = {
      {"jpeg-baseline", 64, "JPEG pixel data with Bits Allocated 64 (expected 8 or 16)"},
      {"rle", 151, "RLE pixel data with Bits Allocated 151 (expected 8, 16 or 32)"},
      {"rle", 12, "RLE pixel data with Bits Allocated 12 (expected 8, 16 or 32)"}};
  for (const auto& c : cases) {
    const auto message = bits_allocated_error(c.compression, c.bits);
    EXPECT_NE(message.find(c.expected), std::string::npos) << message;
  }
}

// GDCM asserts on a Photometric Interpretation it does not know (fuzz finding: "PALE").
TEST(BadFiles, DicomWithUnknownPhotometricInterpretation) {
  ScratchDir dir("io-bad");
  DicomSpec s;
  s.width = 4, s.height = 4;
  for (int i = 0; i < 16; ++i) s.stored.push_back(i);
  write_dicom(dir / "pi.dcm", s);
  auto bytes = read_bytes(dir / "pi.dcm");
  const std::string term = "MONOCHROME2";
  const auto at = std::search(bytes.begin(), bytes.end(), term.begin(), term.end());
  ASSERT_NE(at, bytes.end()) << "no MONOCHROME2 in the fixture";
  at[10] = 'X';
  write_bytes(dir / "pi.dcm", bytes);
  EXPECT_NE(expect_read_error(dir / "pi.dcm").find("unknown Photometric Interpretation \"MONOCHROMEX\""), std::string::npos);
}

// Native pixel data whose element is complete but shorter than the dimensions need: GDCM would copy past it.
TEST(BadFiles, DicomNativePixelDataShorterThanItsDimensions) {
  ScratchDir dir("io-bad");
  DicomSpec s;
  s.width = 6, s.height = 4;  // 16-bit: 48 bytes of pixel data, the last element of the file
  for (int i = 0; i < 24; ++i) s.stored.push_back(i);
  write_dicom(dir / "short.dcm", s);
  auto bytes = read_bytes(dir / "short.dcm");
  const std::vector<std::uint8_t> header = {0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0, 48, 0, 0, 0};
  const auto at = std::search(bytes.begin(), bytes.end(), header.begin(), header.end());
  ASSERT_NE(at, bytes.end()) << "no 48-byte OW pixel data element in the fixture";
  ASSERT_EQ(bytes.end() - at, 12 + 48) << "pixel data is not the last element";
  at[8] = 36;  // declare 36 bytes and hold exactly 36
  bytes.resize(bytes.size() - 12);
  write_bytes(dir / "short.dcm", bytes);
  EXPECT_NE(expect_read_error(dir / "short.dcm").find("the pixel data holds 36 bytes, the header's dimensions need 48"),
            std::string::npos);
}

// GDCM allocates the length a sequence delimiter declares (fuzz finding: 1.4 GB from a 1.5 KB file); it must be 0.
TEST(BadFiles, DicomSequenceDelimiterWithALength) {
  ScratchDir dir("io-bad");
  DicomSpec s;
  s.width = 8, s.height = 8, s.compression = "rle";
  for (int i = 0; i < 64; ++i) s.stored.push_back(i);
  write_dicom(dir / "rle.dcm", s);
  auto bytes = read_bytes(dir / "rle.dcm");
  const std::vector<std::uint8_t> delimiter = {0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0};
  const auto at = std::find_end(bytes.begin(), bytes.end(), delimiter.begin(), delimiter.end());
  ASSERT_NE(at, bytes.end()) << "no sequence delimiter in the encapsulated fixture";
  at[7] = 0x53;
  write_bytes(dir / "rle.dcm", bytes);
  EXPECT_NE(expect_read_error(dir / "rle.dcm").find("sequence delimiter with length"), std::string::npos);
}

// GDCM asserts when Pixel Data has a VR other than OB or OW (fuzz finding: SQ with undefined length, holding JPEG).
TEST(BadFiles, DicomPixelDataWithAnotherValueRepresentation) {
  ScratchDir dir("io-bad");
  DicomSpec s;
  s.width = 8, s.height = 8, s.bits_allocated = 8, s.bits_stored = 8;
  for (int i = 0; i < 64; ++i) s.stored.push_back(i * 3);
  const struct { const char* compression; std::vector<std::uint8_t> header; const char* vr; } cases[] = {
      {"jpeg-baseline", {0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF}, "SQ"},  // as found
      {"", {0xE0, 0x7F, 0x10, 0x00, 'O'}, "OF"}};                                                // native, OB or OW
  for (const auto& c : cases) {
    s.compression = c.compression;
    write_dicom(dir / "pixels.dcm", s);
    ASSERT_NO_THROW(read_image_file(dir / "pixels.dcm")) << c.compression;
    auto bytes = read_bytes(dir / "pixels.dcm");
    const auto at = std::search(bytes.begin(), bytes.end(), c.header.begin(), c.header.end());
    ASSERT_NE(at, bytes.end()) << "no Pixel Data header in the fixture compressed as \"" << c.compression << "\"";
    at[4] = c.vr[0], at[5] = c.vr[1];
    write_bytes(dir / "pixels.dcm", bytes);
    const auto message = expect_read_error(dir / "pixels.dcm");
    EXPECT_NE(message.find(std::string("Pixel Data with value representation ") + c.vr + " (expected OB or OW)"),
              std::string::npos) << message;
  }
}

// GDCM asserts on Pixel Data without Rows or Columns (fuzz finding: Rows' tag changed to (0028,0210)).
TEST(BadFiles, DicomPixelDataWithoutRowsOrColumns) {
  ScratchDir dir("io-bad");
  DicomSpec s;
  s.width = 4, s.height = 4, s.compression = "jpeg-lossless";
  for (int i = 0; i < 16; ++i) s.stored.push_back(i * 100);
  write_dicom(dir / "image.dcm", s);
  ASSERT_NO_THROW(read_image_file(dir / "image.dcm"));
  const auto good = read_bytes(dir / "image.dcm");
  const struct { std::uint8_t element; const char* expected; } cases[] = {
      {0x10, "Pixel Data without Rows (0028,0010) before it"}, {0x11, "Pixel Data without Columns (0028,0011) before it"}};
  for (const auto& c : cases) {
    // (0028,00xx) US, length 2, explicit VR little endian; its tag becomes (0028,02xx), a tag of no image module.
    const std::vector<std::uint8_t> header = {0x28, 0x00, c.element, 0x00, 'U', 'S', 0x02, 0x00};
    auto bytes = good;
    const auto at = std::search(bytes.begin(), bytes.end(), header.begin(), header.end());
    ASSERT_NE(at, bytes.end()) << "no (0028,00" << std::hex << int(c.element) << ") in the fixture";
    at[3] = 0x02;
    write_bytes(dir / "image.dcm", bytes);
    const auto message = expect_read_error(dir / "image.dcm");
    EXPECT_NE(message.find(c.expected), std::string::npos) << message;
  }
}

// GDCM masks stored bits narrower than their allocation only for 8- and 16-bit samples and asserts for others
// (fuzz finding: 12 bits stored in 24 allocated); 32 bits stored in 32 allocated still read.
TEST(BadFiles, DicomBitsStoredFewerThanAllocatedOutside8And16) {
  ScratchDir dir("io-bad");
  DicomSpec s;
  s.width = 2, s.height = 3, s.bits_allocated = 32, s.bits_stored = 32;
  for (int i = 0; i < 6; ++i) s.stored.push_back(i * 1000);
  write_dicom(dir / "image.dcm", s);
  ASSERT_NO_THROW(read_image_file(dir / "image.dcm"));
  auto bytes = read_bytes(dir / "image.dcm");
  // (0028,0101) Bits Stored US, length 2, value 32, explicit VR little endian.
  const std::vector<std::uint8_t> element = {0x28, 0x00, 0x01, 0x01, 'U', 'S', 0x02, 0x00, 32, 0x00};
  const auto at = std::search(bytes.begin(), bytes.end(), element.begin(), element.end());
  ASSERT_NE(at, bytes.end()) << "no Bits Stored 32 in the fixture";
  at[8] = 12;
  write_bytes(dir / "image.dcm", bytes);
  const auto message = expect_read_error(dir / "image.dcm");
  EXPECT_NE(message.find("Bits Stored 12 in Bits Allocated 32"), std::string::npos) << message;
}

TEST(BadFiles, NiftiWithAbsurdDimensions) {
  ScratchDir dir("io-bad");
  write_nifti(dir / "v.nii", 4, 4, 4, DT_UINT8, std::vector<double>(64, 3.0));
  auto bytes = read_bytes(dir / "v.nii");
  // NIfTI-1 header: short dim[8] at byte 40 (little-endian on this host); make it 30000^3 voxels.
  for (int d = 1; d <= 3; ++d) {
    bytes[40 + 2 * d] = 30000 & 0xFF;
    bytes[41 + 2 * d] = 30000 >> 8;
  }
  write_bytes(dir / "v.nii", bytes);
  EXPECT_NE(expect_read_error(dir / "v.nii").find("exceed the limit"), std::string::npos);
}

TEST(BadFiles, TruncatedNiftiAndNiftiGz) {
  ScratchDir dir("io-bad");
  std::vector<double> v(32 * 32 * 8);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = double((i * 2654435761u >> 7) % 30000);
  write_nifti(dir / "v.nii", 32, 32, 8, DT_INT16, v);
  write_nifti(dir / "v.nii.gz", 32, 32, 8, DT_INT16, v);
  truncate_to(dir / "v.nii", 0.6);
  truncate_to(dir / "v.nii.gz", 0.6);
  expect_read_error(dir / "v.nii");
  expect_read_error(dir / "v.nii.gz");
}

TEST(BadFiles, NiftiContentUnderAnotherName) {
  ScratchDir dir("io-bad");
  write_nifti(dir / "v.nii", 4, 4, 2, DT_UINT8, std::vector<double>(32, 1.0));
  fs::copy_file(dir / "v.nii", dir / "volume.dat");
  EXPECT_EQ(osgan::io::detect_format(dir / "volume.dat"), "nifti");
  EXPECT_NE(expect_read_error(dir / "volume.dat").find("rename"), std::string::npos);
}

TEST(BadFiles, JpegHuffmanTableWithTooManyCodes) {
  // (A fuzz finding against stb_image 2.27, which wrote past its tables; libjpeg refuses the table.)
  ScratchDir dir("io-bad");
  write_jpeg(dir / "a.jpg", 16, 16, 3, std::vector<std::uint8_t>(16 * 16 * 3, 77), 90);
  auto bytes = read_bytes(dir / "a.jpg");
  const std::size_t dht = find_jpeg_marker(bytes, 0xC4);
  ASSERT_GT(dht, 0u) << "fixture JPEG has no DHT segment";
  // First table: class/id byte at dht + 4, then 16 code counts; make them sum to 16 * 200.
  for (int k = 0; k < 16; ++k) bytes[dht + 5 + k] = 200;
  write_bytes(dir / "a.jpg", bytes);
  EXPECT_NE(expect_read_error(dir / "a.jpg").find("Huffman table"), std::string::npos);
}

TEST(BadFiles, JpegScanUsingAnUndefinedHuffmanTable) {
  // (A fuzz finding against stb_image 2.27, which decoded with whatever memory sat in the slot; libjpeg refuses.)
  ScratchDir dir("io-bad");
  write_jpeg(dir / "a.jpg", 16, 16, 1, std::vector<std::uint8_t>(16 * 16, 77), 90);
  ASSERT_NO_THROW(read_image_file(dir / "a.jpg"));
  auto bytes = read_bytes(dir / "a.jpg");
  const std::size_t sos = find_jpeg_marker(bytes, 0xDA);
  ASSERT_GT(sos, 0u) << "fixture JPEG has no SOS segment";
  // SOS: FF DA, length (2), component count, then (id, DC slot << 4 | AC slot): a grey JPEG defines slot 0 only.
  bytes[sos + 6] = 0x20;
  write_bytes(dir / "a.jpg", bytes);
  EXPECT_NE(expect_read_error(dir / "a.jpg").find("Huffman table 0x02 was not defined"), std::string::npos);
  bytes[sos + 6] = 0x03;
  write_bytes(dir / "a.jpg", bytes);
  EXPECT_NE(expect_read_error(dir / "a.jpg").find("Huffman table 0x03 was not defined"), std::string::npos);
}

TEST(BadFiles, NiftiWithUnknownDatatype) {
  ScratchDir dir("io-bad");
  write_nifti(dir / "v.nii", 4, 4, 4, DT_UINT8, std::vector<double>(64, 3.0));
  auto bytes = read_bytes(dir / "v.nii");
  bytes[70] = 0x37, bytes[71] = 0x00;  // NIfTI-1 datatype (offset 70) = 55, no such code
  write_bytes(dir / "v.nii", bytes);
  EXPECT_NE(expect_read_error(dir / "v.nii").find("datatype"), std::string::npos);
}

TEST(BadFiles, LibrariesPrintNothingOnBadInput) {
  // libtiff, GDCM and nifti2 report problems on stderr by default; osgan routes them into the Error.
  ScratchDir dir("io-bad");
  std::vector<double> px(64 * 64, 5.0);
  write_tiff(dir / "t.tif", 64, 64, 1, 16, false, px);
  truncate_to(dir / "t.tif", 0.3);
  DicomSpec s;
  s.width = 16, s.height = 16, s.stored.assign(256, 9);
  write_dicom(dir / "t.dcm", s);
  truncate_to(dir / "t.dcm", 0.9);
  write_nifti(dir / "v.nii", 4, 4, 4, DT_UINT8, std::vector<double>(64, 3.0));
  auto bytes = read_bytes(dir / "v.nii");
  bytes[40] = 9;  // dim[0] = 9
  write_bytes(dir / "v.nii", bytes);
  write_nifti(dir / "w.nii.gz", 8, 8, 8, DT_INT16, std::vector<double>(512, 3.0));
  truncate_to(dir / "w.nii.gz", 0.5);
  for (const char* name : {"t.tif", "t.dcm", "v.nii", "w.nii.gz"}) {
    testing::internal::CaptureStderr();
    EXPECT_THROW(read_image_file(dir / name), osgan::Error) << name;
    const std::string printed = testing::internal::GetCapturedStderr();
    EXPECT_EQ(printed, "") << name << " made a library print to stderr";
  }
}
