// Damage that a decoder could read past without a word: a PNG whose chunk CRC or zlib Adler-32 is wrong, and a JPEG
// whose entropy-coded segment is corrupt (libjpeg warns and guesses the pixels). Each file is built here from a good
// one with bytes changed; each must be refused by read_image_file, skipped with its reason by a dataset load, and an
// error under `strict` (osgan audit --strict).
#include <gtest/gtest.h>
#include <zlib.h>

#include "osgan/core/error.h"
#include "osgan/data/dataset.h"
#include "osgan/io/image.h"
#include "support/test_support.h"
#include "unit/io/io_fixtures.h"

namespace fs = std::filesystem;
using namespace osgan::test;
using osgan::io::read_image_file;

namespace {

std::vector<std::uint16_t> ramp(std::size_t n) {
  std::vector<std::uint16_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint16_t>(i * 37 % 251);
  return v;
}

std::uint32_t be32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return std::uint32_t(b[at]) << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3];
}

void put_be32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) b[at + k] = static_cast<std::uint8_t>(v >> (24 - 8 * k));
}

// Offset of the first chunk of `type` (its length field) in a PNG's bytes; fails the test when there is none.
std::size_t find_chunk(const std::vector<std::uint8_t>& b, const char* type) {
  for (std::size_t at = 8; at + 12 <= b.size(); at += 12 + be32(b, at))
    if (std::equal(type, type + 4, b.begin() + static_cast<std::ptrdiff_t>(at + 4))) return at;
  ADD_FAILURE() << "no " << type << " chunk";
  return 0;
}

// Recomputes the CRC of the chunk at `at` (over its type and data), as a writer would.
void fix_crc(std::vector<std::uint8_t>& b, std::size_t at) {
  const std::uint32_t length = be32(b, at);
  put_be32(b, at + 8 + length, static_cast<std::uint32_t>(crc32(0, b.data() + at + 4, 4 + length)));
}

// One bit of IDAT flipped: in its CRC, so that only the CRC can tell (a bit flipped in the data mostly breaks the
// zlib stream before libpng reaches the CRC at the chunk's end), or in the data's last byte, the zlib stream's
// Adler-32, with the CRC recomputed so that only Adler can tell (a writer's bug, or damage before the CRC).
enum class Flip { crc, adler_crc_fixed };
std::vector<std::uint8_t> flip_idat_bit(std::vector<std::uint8_t> b, Flip flip) {
  const std::size_t idat = find_chunk(b, "IDAT"), length = be32(b, idat);
  if (flip == Flip::crc) {
    b[idat + 8 + length + 3] ^= 0x10;
  } else {
    b[idat + 8 + length - 1] ^= 0x01;
    fix_crc(b, idat);
  }
  return b;
}

// IDAT made two, the second holding only the zlib stream's Adler-32, both CRCs right: libpng then has every row
// before it reads the checksum, and must still read and check it.
std::vector<std::uint8_t> split_adler_into_own_idat(std::vector<std::uint8_t> b) {
  const std::size_t idat = find_chunk(b, "IDAT"), length = be32(b, idat);
  const auto adler = b.begin() + static_cast<std::ptrdiff_t>(idat + 8 + length - 4);
  std::vector<std::uint8_t> second = {0, 0, 0, 4, 'I', 'D', 'A', 'T'};
  second.insert(second.end(), adler, adler + 4);
  second.resize(second.size() + 4);  // its CRC, fixed below
  b.erase(adler, adler + 4);
  put_be32(b, idat, static_cast<std::uint32_t>(length - 4));
  fix_crc(b, idat);
  const std::size_t next = idat + 12 + length - 4;
  b.insert(b.begin() + static_cast<std::ptrdiff_t>(next), second.begin(), second.end());
  fix_crc(b, next);
  return b;
}

// A good 16x16 8-bit grey PNG: 24 bytes of signature and IHDR header, then IHDR's data, then IDAT.
std::vector<std::uint8_t> good_png(const ScratchDir& dir) {
  write_png(dir / "good.png", 16, 16, 1, 8, ramp(256));
  EXPECT_NO_THROW(read_image_file(dir / "good.png"));
  return read_bytes(dir / "good.png");
}

// A good 64x64 colour JPEG.
std::vector<std::uint8_t> good_jpeg(const ScratchDir& dir) {
  std::vector<std::uint8_t> px(64 * 64 * 3);
  for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<std::uint8_t>(i * 2654435761u >> 24);
  write_jpeg(dir / "good.jpg", 64, 64, 3, px, 90);
  EXPECT_NO_THROW(read_image_file(dir / "good.jpg"));
  return read_bytes(dir / "good.jpg");
}

// One byte in the middle of the JPEG's entropy-coded data becomes FF, so that it and the next byte read as a marker
// where the scan still needs data: what a flipped byte in a copied or downloaded file looks like to the decoder.
std::vector<std::uint8_t> corrupt_entropy_segment(std::vector<std::uint8_t> b) {
  std::size_t sos = 0;
  for (std::size_t i = 2; i + 1 < b.size() && !sos; ++i)
    if (b[i] == 0xFF && b[i + 1] == 0xDA) sos = i;
  EXPECT_GT(sos, 0u) << "fixture JPEG has no scan";
  const std::size_t data = sos + 2 + (std::size_t{b[sos + 2]} << 8 | b[sos + 3]);
  std::size_t at = data + (b.size() - 2 - data) / 2;
  while (b[at + 1] == 0x00 || b[at + 1] == 0xFF) ++at;  // FF 00 is a stuffed byte, FF FF fill: neither is a marker
  b[at] = 0xFF;
  return b;
}

// Reads `path` expecting osgan::Error; returns its one-line message naming the file.
std::string read_error(const fs::path& path) {
  try {
    read_image_file(path);
  } catch (const osgan::Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    return msg;
  }
  ADD_FAILURE() << path << " was read";
  return {};
}

}  // namespace

TEST(DamagedFiles, PngWithAWrongChunkCrcIsRefused) {
  ScratchDir dir("io-damaged");
  write_bytes(dir / "bad_crc.png", flip_idat_bit(good_png(dir), Flip::crc));
  EXPECT_NE(read_error(dir / "bad_crc.png").find("IDAT: CRC error"), std::string::npos);
}

TEST(DamagedFiles, PngWithAWrongCrcInAnAncillaryChunkIsRefused) {
  // An ancillary chunk osgan does not use is skipped, but its CRC is still checked: damage anywhere is damage.
  ScratchDir dir("io-damaged");
  auto bytes = good_png(dir);
  const std::size_t idat = find_chunk(bytes, "IDAT");
  std::vector<std::uint8_t> text = {0, 0, 0, 5, 't', 'E', 'X', 't', 'a', 0, 'b', 'c', 'd', 0, 0, 0, 0};
  bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(idat), text.begin(), text.end());
  fix_crc(bytes, idat);
  write_bytes(dir / "good_text.png", bytes);
  EXPECT_NO_THROW(read_image_file(dir / "good_text.png"));
  bytes[idat + 10] = 'x';
  write_bytes(dir / "bad_text.png", bytes);
  EXPECT_NE(read_error(dir / "bad_text.png").find("tEXt: CRC error"), std::string::npos);
}

TEST(DamagedFiles, PngWithAWrongAdlerChecksumIsRefused) {
  ScratchDir dir("io-damaged");
  write_bytes(dir / "bad_adler.png", flip_idat_bit(good_png(dir), Flip::adler_crc_fixed));
  EXPECT_NE(read_error(dir / "bad_adler.png").find("incorrect data check"), std::string::npos);

  write_bytes(dir / "split_good.png", split_adler_into_own_idat(good_png(dir)));
  EXPECT_NO_THROW(read_image_file(dir / "split_good.png"));
  write_bytes(dir / "split_bad.png", split_adler_into_own_idat(flip_idat_bit(good_png(dir), Flip::adler_crc_fixed)));
  EXPECT_NE(read_error(dir / "split_bad.png").find("incorrect data check"), std::string::npos);
}

TEST(DamagedFiles, JpegWithACorruptEntropySegmentIsRefused) {
  ScratchDir dir("io-damaged");
  write_bytes(dir / "corrupt.jpg", corrupt_entropy_segment(good_jpeg(dir)));
  const std::string msg = read_error(dir / "corrupt.jpg");
  EXPECT_NE(msg.find("damaged JPEG"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Corrupt JPEG data"), std::string::npos) << msg;
}

TEST(DamagedFiles, JpegWithExtraneousBytesBeforeItsEndIsRefused) {
  // libjpeg decodes every pixel here, then warns about bytes that belong nowhere before EOI.
  ScratchDir dir("io-damaged");
  auto bytes = good_jpeg(dir);
  bytes.insert(bytes.end() - 2, {0x12, 0x34, 0x56});
  write_bytes(dir / "extra.jpg", bytes);
  const std::string msg = read_error(dir / "extra.jpg");
  EXPECT_NE(msg.find("extraneous bytes before marker 0xd9"), std::string::npos) << msg;
}

TEST(DamagedFiles, DatasetSkipsThemWithTheirReasonAndStrictRefusesThem) {
  ScratchDir dir("io-damaged"), originals("io-damaged");
  for (const char* label : {"normal", "tumor"}) {
    fs::create_directories(dir / label);
    for (int i = 0; i < 2; ++i) write_png(dir / label / ("ok" + std::to_string(i) + ".png"), 16, 16, 1, 8, ramp(256));
  }
  write_bytes(dir / "tumor" / "bad_crc.png", flip_idat_bit(good_png(originals), Flip::crc));
  write_bytes(dir / "tumor" / "corrupt.jpg", corrupt_entropy_segment(good_jpeg(originals)));

  osgan::data::DatasetOptions options;
  options.preprocess.size = 16;
  const auto ds = osgan::data::load_dataset(dir.path(), options);
  EXPECT_EQ(ds.samples.size(), 4u);
  ASSERT_EQ(ds.skipped.size(), 2u);
  EXPECT_EQ(ds.skipped[0].path, "tumor/bad_crc.png");
  EXPECT_NE(ds.skipped[0].reason.find("CRC error"), std::string::npos) << ds.skipped[0].reason;
  EXPECT_EQ(ds.skipped[1].path, "tumor/corrupt.jpg");
  EXPECT_NE(ds.skipped[1].reason.find("damaged JPEG"), std::string::npos) << ds.skipped[1].reason;

  options.strict = true;
  try {
    osgan::data::load_dataset(dir.path(), options);
    FAIL() << "strict load accepted a damaged file";
  } catch (const osgan::Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("bad_crc.png"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(--strict)"), std::string::npos) << msg;
  }
}
