// JPEG marker walk (ITU-T T.81 B.1): SOI, then segments FF xx with a 2-byte big-endian length, entropy-coded
// data after SOS up to the next marker that is neither a stuffed 00 nor a restart marker (D0-D7).
#include "osgan/io/jpeg_markers.h"

#include <algorithm>
#include <string>

#include "osgan/io/reader_common.h"

namespace osgan::io::detail {

namespace {

// Huffman tables defined so far, by class (0 DC, 1 AC) and slot (0-3).
struct DefinedTables {
  bool defined[2][4] = {};
};

// Every Huffman table in one DHT segment [at, end): class/id byte, 16 counts, then sum(counts) values.
void check_dht(const std::filesystem::path& path, const std::vector<unsigned char>& b, std::size_t at, std::size_t end,
               DefinedTables& tables) {
  while (at < end) {
    if (at + 17 > end) fail_read(ErrorCode::bad_format, path, "corrupt JPEG: Huffman table header cut short");
    const unsigned table_class = b[at] >> 4, slot = b[at] & 15;
    if (table_class < 2 && slot < 4) tables.defined[table_class][slot] = true;  // stb refuses other values itself
    std::size_t codes = 0;
    for (int i = 1; i <= 16; ++i) codes += b[at + static_cast<std::size_t>(i)];
    if (codes > 256)
      fail_read(ErrorCode::bad_format, path,
                "corrupt JPEG: Huffman table declares " + std::to_string(codes) + " codes (at most 256)");
    at += 17 + codes;
  }
}

// stb_image 2.27 decodes a scan with whatever is in the Huffman slot the scan names, defined or not; its
// tables live in memory it does not clear, so an undefined slot reads garbage and indexes out of bounds
// (UBSan, found by fuzzing). T.81 requires each table a scan uses to be defined before it: refuse otherwise.
// SOS payload: component count, then (id, DC slot << 4 | AC slot) each, then Ss, Se, Ah << 4 | Al.
void check_scan_tables(const std::filesystem::path& path, const std::vector<unsigned char>& b, std::size_t at,
                       std::size_t end, bool progressive, const DefinedTables& tables) {
  if (at >= end) return;  // stb refuses an empty scan header itself
  const std::size_t components = b[at];
  if (at + 1 + 2 * components + 3 > end) return;  // likewise a cut one
  const unsigned spectral_start = b[at + 1 + 2 * components], approximation_high = b[at + 3 + 2 * components] >> 4;
  // Progressive scans use one kind of table: DC for a first DC scan, none for a DC refinement, AC otherwise.
  const bool uses_dc = !progressive || (spectral_start == 0 && approximation_high == 0);
  const bool uses_ac = !progressive || spectral_start != 0;
  for (std::size_t i = 0; i < components; ++i) {
    const unsigned dc = b[at + 2 + 2 * i] >> 4, ac = b[at + 2 + 2 * i] & 15;
    std::string missing;
    if (uses_dc && dc < 4 && !tables.defined[0][dc]) missing = "DC " + std::to_string(dc);
    else if (uses_ac && ac < 4 && !tables.defined[1][ac]) missing = "AC " + std::to_string(ac);
    if (!missing.empty())
      fail_read(ErrorCode::bad_format, path,
                "corrupt JPEG: a scan uses Huffman table " + missing + ", which no DHT segment before it defines");
  }
}

// Blocks of 8x8 samples the frame (SOF payload [at, end)) holds over all components: each component covers
// ceil(W * h / hmax) x ceil(H * v / vmax) samples. 0 when the header is too short to tell.
std::uint64_t frame_blocks(const std::vector<unsigned char>& b, std::size_t at, std::size_t end) {
  if (at + 6 > end) return 0;
  const std::uint64_t height = static_cast<std::uint64_t>(b[at + 1]) << 8 | b[at + 2];
  const std::uint64_t width = static_cast<std::uint64_t>(b[at + 3]) << 8 | b[at + 4];
  const std::size_t components = b[at + 5];
  if (at + 6 + 3 * components > end) return 0;
  unsigned hmax = 1, vmax = 1;
  for (std::size_t c = 0; c < components; ++c) {
    hmax = std::max(hmax, static_cast<unsigned>(b[at + 7 + 3 * c] >> 4));
    vmax = std::max(vmax, b[at + 7 + 3 * c] & 15u);
  }
  std::uint64_t blocks = 0;
  for (std::size_t c = 0; c < components; ++c) {
    const unsigned h = b[at + 7 + 3 * c] >> 4, v = b[at + 7 + 3 * c] & 15;
    const std::uint64_t w = (width * h + hmax - 1) / hmax, hh = (height * v + vmax - 1) / vmax;
    blocks += ((w + 7) / 8) * ((hh + 7) / 8);
  }
  return blocks;
}

}  // namespace

void check_jpeg_markers(const std::filesystem::path& path, const std::vector<unsigned char>& b) {
  std::size_t at = 2;  // past SOI (FF D8), which detect_format has seen
  DefinedTables tables;
  bool progressive = false;
  std::uint64_t blocks = 0, coded_bytes = 0;  // sequential frames: blocks declared, entropy-coded bytes seen
  while (at + 1 < b.size()) {
    if (b[at] != 0xFF) {  // junk between segments: stb resynchronises at the next FF, and so do we
      ++at;
      continue;
    }
    const unsigned char m = b[at + 1];
    if (m == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (m == 0xD9) {  // EOI
      // Every block of a sequential scan costs at least 2 bits (a DC code and an end-of-block code, each at
      // least 1 bit long). Less data than that is a damaged or cut file that stb would fill with invented blocks
      // (a fuzzed 175-byte scan for 73,920 blocks also overflowed its DC sums).
      if (!progressive && blocks > 0 && coded_bytes * 8 < 2 * blocks)
        fail_read(ErrorCode::bad_format, path,
                  "corrupt JPEG: " + std::to_string(coded_bytes) + " bytes of image data cannot hold the " +
                      std::to_string(blocks) + " blocks its header declares (damaged or cut)");
      return;
    }
    if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {  // no length: stuffed byte, TEM, RSTn
      at += 2;
      continue;
    }
    if (at + 4 > b.size()) break;  // cut inside a marker
    const std::size_t length = static_cast<std::size_t>(b[at + 2]) << 8 | b[at + 3];
    const std::size_t start = at + 4, end = at + 2 + length;
    if (length < 2) fail_read(ErrorCode::bad_format, path, "corrupt JPEG: segment length " + std::to_string(length));
    // stb reads a DHT's tables even when the file ends inside it, so check what is there first.
    if (m == 0xC4) check_dht(path, b, start, std::min(end, b.size()), tables);
    if (m == 0xC2) progressive = true;
    if (m == 0xC0 || m == 0xC1) blocks = frame_blocks(b, start, std::min(end, b.size()));
    if (m == 0xDA) check_scan_tables(path, b, start, std::min(end, b.size()), progressive, tables);
    if (end > b.size()) fail_read(ErrorCode::bad_format, path, "truncated JPEG: a segment runs past the end of the file");
    at = end;
    if (m == 0xDA) {  // SOS: skip the entropy-coded data
      const std::size_t data_start = at;
      while (at + 1 < b.size() && !(b[at] == 0xFF && b[at + 1] != 0x00 && !(b[at + 1] >= 0xD0 && b[at + 1] <= 0xD7)))
        ++at;
      coded_bytes += at - data_start;
    }
  }
  // The data ended before the end-of-image marker: a cut file (an interrupted copy or download). stb_image
  // would pad the missing entropy-coded data with zeros and return a partly invented image without a word.
  fail_read(ErrorCode::bad_format, path, "truncated JPEG: the file ends before its end-of-image marker (FF D9)");
}

void check_dicom_jpeg_header(const std::filesystem::path& path, const std::vector<unsigned char>& b,
                             const std::string& what) {
  const auto bad = [&](const std::string& why) { fail_read(ErrorCode::bad_format, path, "corrupt " + what + ": " + why); };
  if (b.size() < 2 || b[0] != 0xFF || b[1] != 0xD8) return;  // not a JPEG start: libjpeg fails on it cleanly
  std::size_t at = 2;
  while (true) {
    if (at >= b.size()) bad("no scan header (SOS) before the end");
    // libjpeg warns (JWRN_EXTRANEOUS_DATA) on anything but fill bytes (FF) before a marker.
    if (b[at] != 0xFF) bad("bytes between segments at offset " + std::to_string(at));
    while (at < b.size() && b[at] == 0xFF) ++at;
    if (at >= b.size()) bad("cut inside a marker");
    const unsigned char m = b[at++];
    if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD9)) bad("unexpected marker before the scan header");
    if (at + 2 > b.size()) bad("segment length cut off");
    const std::size_t length = static_cast<std::size_t>(b[at]) << 8 | b[at + 1];
    if (length < 2 || at + length > b.size()) bad("segment of " + std::to_string(length) + " bytes runs past the end");
    const std::size_t start = at + 2, end = at + length;
    const auto has = [&](const char* id, std::size_t n) {
      return end - start >= n && std::equal(id, id + n, b.begin() + static_cast<std::ptrdiff_t>(start));
    };
    if (m == 0xE0 && has("JFIF\0", 5) && end - start >= 6 && b[start + 5] != 1)  // JWRN_JFIF_MAJOR
      bad("JFIF major version " + std::to_string(b[start + 5]));
    if (m == 0xEE && has("Adobe", 5) && end - start >= 12 && b[start + 11] > 2)    // JWRN_ADOBE_XFORM
      bad("Adobe colour transform " + std::to_string(b[start + 11]));
    const bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof && end - start >= 6 && b[start + 5] != 1 && b[start + 5] != 3)
      bad(std::to_string(b[start + 5]) + " colour components (expected 1 or 3)");
    // Sample precision by process (T.81 table B.2): baseline 8; extended and progressive 8 or 12; lossless 2
    // to 16. GDCM asserts on others (a baseline frame of precision 14 aborted it: fuzz finding).
    if (sof && end - start >= 1) {
      const unsigned precision = b[start];
      const bool lossless = (m & 3) == 3;
      const bool ok = m == 0xC0 ? precision == 8 : lossless ? precision >= 2 && precision <= 16 : precision == 8 || precision == 12;
      if (!ok) bad("sample precision " + std::to_string(precision) + " bits, which its JPEG process does not allow");
    }
    if (m == 0xDA) return;  // the scan header: entropy-coded data follows, libjpeg reads it leniently
    at = end;
  }
}

}  // namespace osgan::io::detail
