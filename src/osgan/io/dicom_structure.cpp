// Element-header walk over a DICOM file (Part 10 layout: 128-byte preamble, "DICM", group 0002 in explicit
// VR little endian, then the data set in the transfer syntax named there). Only lengths are checked.
#include "osgan/io/dicom_structure.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "osgan/core/one_line.h"
#include "osgan/io/jpeg_markers.h"
#include "osgan/io/reader_common.h"

namespace osgan::io::detail {

namespace {

constexpr std::uint32_t kUndefined = 0xFFFFFFFFu;
constexpr int kMaxDepth = 32;

// Transfer syntaxes that GDCM decodes with its IJG (libjpeg) codec: baseline, extended, progressive, lossless.
bool is_ijg_jpeg(const std::string& ts) {
  for (const char* s : {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.55",
                        "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"})
    if (ts == s) return true;
  return false;
}

// The dictionary VR of the elements GDCM reads into typed attributes (image pixel module, rescale).
const char* expected_vr(std::uint16_t group, std::uint16_t element) {
  if (group == 0x0002) {  // file meta information (PS3.10 7.1)
    switch (element) {
      case 0x0000: return "UL";
      case 0x0001: case 0x0102: return "OB";
      case 0x0002: case 0x0003: case 0x0010: case 0x0012: case 0x0100: return "UI";
      case 0x0013: return "SH";
      case 0x0016: case 0x0017: case 0x0018: return "AE";
      default: return nullptr;
    }
  }
  if (group != 0x0028) return nullptr;
  switch (element) {
    case 0x0002: case 0x0006: case 0x0010: case 0x0011: case 0x0100: case 0x0101: case 0x0102: case 0x0103:
      return "US";
    case 0x0004: return "CS";
    case 0x0008: return "IS";
    case 0x1052: case 0x1053: return "DS";
    default: return nullptr;
  }
}

class Walker {
 public:
  Walker(const std::filesystem::path& path, std::uint64_t size) : path_(path), size_(size), in_(path, std::ios::binary) {
    if (!in_) fail_read(ErrorCode::io, path_, "cannot open the file");
  }

  // Returns false when the walk cannot continue meaningfully (unknown VR): the file is then left to GDCM.
  bool walk_file() {
    seek(132);  // past the preamble and "DICM"
    std::string ts;
    // File meta information: group 0002, always explicit VR little endian.
    while (pos_ < size_) {
      const std::uint64_t start = pos_;
      std::uint16_t group = 0, element = 0;
      if (!peek_tag(group, element) || group != 0x0002) break;
      std::uint32_t length = 0;
      std::string vr;
      if (!read_header(/*explicit_vr=*/true, /*big_endian=*/false, group, element, vr, length)) return false;
      if (length == kUndefined) truncated("meta element with undefined length", group, element);
      need(length, group, element);
      if (element == 0x0010) {  // Transfer Syntax UID
        ts.assign(length, '\0');
        read_raw(&ts[0], length);
        while (!ts.empty() && (ts.back() == '\0' || ts.back() == ' ')) ts.pop_back();
      } else {
        seek(pos_ + length);
      }
      if (pos_ <= start) return false;
    }
    if (ts.empty()) fail_read(ErrorCode::bad_format, path_, "corrupt DICOM: no transfer syntax in the file meta information");
    if (pos_ >= size_) fail_read(ErrorCode::bad_format, path_, "truncated DICOM: nothing after the file meta information");
    if (ts == "1.2.840.10008.1.2.1.99") return false;  // deflated: lengths refer to inflated data
    ijg_jpeg_ = is_ijg_jpeg(ts);
    rle_ = ts == "1.2.840.10008.1.2.5";
    jpeg_ls_ = ts == "1.2.840.10008.1.2.4.80" || ts == "1.2.840.10008.1.2.4.81";
    explicit_ = ts != "1.2.840.10008.1.2";
    big_endian_ = ts == "1.2.840.10008.1.2.2";
    return walk_items_until(size_, /*depth=*/0, /*stop_at_item_end=*/false);
  }

 private:
  [[noreturn]] void truncated(const std::string& what, std::uint16_t group, std::uint16_t element) {
    char tag[16];
    std::snprintf(tag, sizeof tag, "(%04X,%04X)", group, element);
    fail_read(ErrorCode::bad_format, path_,
              "truncated or corrupt DICOM: " + what + " at element " + tag + ", byte " + std::to_string(pos_) +
                  " of " + std::to_string(size_));
  }

  void need(std::uint64_t length, std::uint16_t group, std::uint16_t element) {
    if (pos_ + length > size_)
      truncated("value of " + std::to_string(length) + " bytes runs past the end of the file", group, element);
  }

  void seek(std::uint64_t to) {
    pos_ = to;
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(to));
  }

  void read_raw(char* out, std::size_t n) {
    in_.read(out, static_cast<std::streamsize>(n));
    if (static_cast<std::size_t>(in_.gcount()) != n) fail_read(ErrorCode::io, path_, "read error while checking DICOM structure");
    pos_ += n;
  }

  std::uint16_t u16(const unsigned char* p, bool big) const { return big ? (p[0] << 8 | p[1]) : (p[1] << 8 | p[0]); }
  std::uint32_t u32(const unsigned char* p, bool big) const {
    return big ? (std::uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3])
               : (std::uint32_t(p[3]) << 24 | p[2] << 16 | p[1] << 8 | p[0]);
  }

  // The US value of (0028,element) without moving past it; `name` for the message.
  std::uint16_t peek_us(std::uint32_t length, std::uint16_t element, const std::string& name) {
    if (length != 2) truncated(name + " of " + std::to_string(length) + " bytes", 0x0028, element);
    unsigned char b[2];
    read_raw(reinterpret_cast<char*>(b), 2);
    seek(pos_ - 2);
    return u16(b, big_endian_);
  }

  // GDCM asserts on Samples per Pixel > 4; osgan reads 1 (grey) or 3 (colour).
  void check_samples_per_pixel(std::uint32_t length) {
    const std::uint16_t spp = peek_us(length, 0x0002, "Samples per Pixel");
    if (spp != 1 && spp != 3)
      fail_read(ErrorCode::unsupported, path_, "DICOM with " + std::to_string(spp) + " samples per pixel (expected 1 or 3)");
  }

  // GDCM asserts (Bitmap::SetPlanarConfiguration) on a Planar Configuration other than 0 or 1.
  void check_planar_configuration(std::uint32_t length) {
    const std::uint16_t pc = peek_us(length, 0x0006, "Planar Configuration");
    if (pc > 1) truncated("Planar Configuration " + std::to_string(pc) + " (the standard allows 0 or 1)", 0x0028, 0x0006);
  }

  // RLE Lossless (PS3.5 annex G): each frame is one fragment that starts with a 64-byte header, the segment
  // count (1 to 15) and 15 offsets. GDCM indexes its 15-entry offset table by the count and reads segments at
  // the offsets without checking either (a fuzzed count of 131072 crashed it), so both are checked here.
  void check_rle_header(std::uint32_t length, std::size_t frame) {
    const std::string what = "RLE frame " + std::to_string(frame);
    if (length < 64) truncated(what + " of " + std::to_string(length) + " bytes, shorter than its 64-byte header", 0xFFFE, 0xE000);
    unsigned char b[64];
    read_raw(reinterpret_cast<char*>(b), 64);
    seek(pos_ - 64);
    const std::uint32_t segments = u32(b, false);  // RLE headers are little endian whatever the data set's order
    if (segments < 1 || segments > 15)
      truncated(what + " declares " + std::to_string(segments) + " segments (the standard allows 1 to 15)", 0xFFFE, 0xE000);
    std::uint32_t previous = 0;
    for (std::uint32_t i = 0; i < segments; ++i) {
      const std::uint32_t offset = u32(b + 4 + 4 * i, false);
      if ((i == 0 ? offset != 64 : offset <= previous) || offset >= length)
        truncated(what + " segment " + std::to_string(i) + " at offset " + std::to_string(offset) +
                      " (the first starts at 64, after the header; each next one later, all inside the " +
                      std::to_string(length) + "-byte frame)",
                  0xFFFE, 0xE000);
      previous = offset;
    }
  }

  // GDCM asserts (PixmapReader::ReadImageInternal) on a Photometric Interpretation it does not know; a fuzzed
  // "PALE" (cut from "PALETTE COLOR") aborted it. The defined terms of PS3.3 C.7.6.3.1.2 pass (osgan refuses the
  // ones it cannot show later, with its own message).
  void check_photometric_interpretation(std::uint32_t length) {
    if (length > 64) truncated("Photometric Interpretation of " + std::to_string(length) + " bytes", 0x0028, 0x0004);
    std::string value(length, '\0');
    read_raw(&value[0], length);
    seek(pos_ - length);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\0')) value.pop_back();
    for (const char* term : {"MONOCHROME1", "MONOCHROME2", "PALETTE COLOR", "RGB", "HSV", "ARGB", "CMYK", "YBR_FULL",
                             "YBR_FULL_422", "YBR_PARTIAL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT"})
      if (value == term) return;
    fail_read(ErrorCode::bad_format, path_, "corrupt DICOM: unknown Photometric Interpretation \"" + one_line(value) + "\"");
  }

  // The retired ACR-NEMA Recognition Code (0008,0010): GDCM asserts that a non-empty one starts "ACR-NEMA",
  // "ACRNEMA" or "MIPS 2.0" (PixmapReader::ReadImageInternal; a fuzzed value aborted it).
  void check_recognition_code(std::uint32_t length) {
    if (length == 0) return;
    std::string value(std::min<std::uint32_t>(length, 64), '\0');
    read_raw(&value[0], value.size());
    seek(pos_ - value.size());
    for (const char* prefix : {"ACR-NEMA", "ACRNEMA", "MIPS 2.0"})
      if (value.compare(0, std::strlen(prefix), prefix) == 0) return;
    fail_read(ErrorCode::bad_format, path_,
              "corrupt DICOM: Recognition Code (0008,0010) \"" + one_line(value) + "\" (expected ACR-NEMA or empty)");
  }

  // Bits Allocated for compressed pixel data. JPEG and JPEG-LS samples have at most 16 bits, so 8 or 16: GDCM
  // picks its 8/12/16-bit decoder from it and asserts when none fits (a fuzzed 64 aborted it). RLE splits each
  // sample into one segment per byte (PS3.5 G.2), so 8, 16 or 32: GDCM asserts on a size that is not whole bytes
  // (PixelFormat::GetPixelSize; a fuzzed 151 aborted it).
  void check_compressed_bits_allocated(std::uint16_t bits) {
    if ((ijg_jpeg_ || jpeg_ls_) && bits != 8 && bits != 16)
      fail_read(ErrorCode::bad_format, path_,
                "corrupt DICOM: JPEG pixel data with Bits Allocated " + std::to_string(bits) + " (expected 8 or 16)");
    if (rle_ && bits != 8 && bits != 16 && bits != 32)
      fail_read(ErrorCode::bad_format, path_,
                "corrupt DICOM: RLE pixel data with Bits Allocated " + std::to_string(bits) + " (expected 8, 16 or 32)");
  }

  // Samples whose stored bits are fewer than their allocated bits are masked by GDCM (ImageCodec::DoOverlayCleanup)
  // for 8- and 16-bit allocations only; it asserts for any other (fuzzed: 12 bits stored in 24 allocated).
  void check_bits_stored_fit() {
    if (bits_allocated_ == 0 || bits_stored_ == 0 || bits_stored_ >= bits_allocated_) return;
    if (bits_allocated_ == 8 || bits_allocated_ == 16) return;
    fail_read(ErrorCode::bad_format, path_,
              "unsupported DICOM: Bits Stored " + std::to_string(bits_stored_) + " in Bits Allocated " +
                  std::to_string(bits_allocated_) + " (fewer stored than allocated bits are read for 8- and 16-bit "
                  "samples only)");
  }

  bool peek_tag(std::uint16_t& group, std::uint16_t& element) {
    if (pos_ + 4 > size_) return false;
    unsigned char b[4];
    read_raw(reinterpret_cast<char*>(b), 4);
    seek(pos_ - 4);
    group = u16(b, false), element = u16(b + 2, false);
    return true;
  }

  // Reads one element header; an unknown VR (explicit VR only) fails as corrupt.
  bool read_header(bool explicit_vr, bool big, std::uint16_t& group, std::uint16_t& element, std::string& vr,
                   std::uint32_t& length) {
    unsigned char b[8];
    if (pos_ + 8 > size_) truncated("element header cut off", group, element);
    read_raw(reinterpret_cast<char*>(b), 8);
    group = u16(b, big), element = u16(b + 2, big);
    // Item and delimitation tags (FFFE,xxxx) have no VR even in explicit VR: tag + 4-byte length.
    if (!explicit_vr || group == 0xFFFE) {
      vr.clear();
      length = u32(b + 4, big);
      return true;
    }
    vr.assign(reinterpret_cast<char*>(b + 4), 2);
    // An unknown VR means a corrupt header; GDCM guesses on, and can then abort on what follows.
    static const char* kShortVrs[] = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT",
                                      "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US"};
    static const char* kLongVrs[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"};
    bool long_vr = false, known = false;
    for (const char* v : kLongVrs) long_vr = long_vr || vr == v;
    for (const char* v : kShortVrs) known = known || vr == v;
    if (!long_vr && !known) {
      std::string shown;
      for (unsigned char c : vr) shown += (c >= 0x20 && c < 0x7F) ? std::string(1, char(c)) : "?";
      truncated("unknown value representation '" + shown + "'", group, element);
    }
    // GDCM asserts when the image pixel module has an unexpected VR, so those must match the dictionary.
    const char* expected = expected_vr(group, element);
    // GDCM's meta reader asserts on a sequence there (a fuzzed SQ for (0002,0001) aborted it), and UN has no place
    // in the explicit-VR meta group either.
    if (group == 0x0002 && (vr == "SQ" || vr == "UN"))
      truncated("value representation " + vr + " in the file meta information", group, element);
    if (expected && vr != expected && vr != "UN")
      truncated("value representation " + vr + " where the standard has " + expected, group, element);
    // Pixel Data is OB or OW (PS3.5 A.1-A.4); GDCM asserts on any other VR there (a fuzzed SQ aborted it).
    if (group == 0x7FE0 && element == 0x0010 && vr != "OB" && vr != "OW")
      truncated("Pixel Data with value representation " + vr + " (expected OB or OW)", group, element);
    if (!long_vr) {
      length = u16(b + 6, big);
      return true;
    }
    if (pos_ + 4 > size_) truncated("element header cut off", group, element);
    unsigned char l[4];
    read_raw(reinterpret_cast<char*>(l), 4);
    length = u32(l, big);
    return true;
  }

  // Walks elements up to `end` (or an item/sequence delimiter when inside an undefined-length item).
  bool walk_items_until(std::uint64_t end, int depth, bool stop_at_item_end) {
    if (depth > kMaxDepth) truncated("sequences nested too deeply", 0, 0);
    while (pos_ < end) {
      std::uint16_t group = 0, element = 0;
      std::uint32_t length = 0;
      std::string vr;
      if (!read_header(explicit_, big_endian_, group, element, vr, length)) return false;
      if (group == 0xFFFE) {
        if (element == 0xE00D && stop_at_item_end) {  // item delimiter
          if (length != 0) truncated("item delimiter with length " + std::to_string(length) + " (must be 0)", group, element);
          return true;
        }
        // Anything else here (a stray item or sequence delimiter) also makes GDCM abort.
        truncated("misplaced item or delimiter tag", group, element);
      }
      const bool pixel_data = group == 0x7FE0 && element == 0x0010;
      if (depth == 0 && group == 0x0028 && element == 0x0010) has_rows_ = true;
      if (depth == 0 && group == 0x0028 && element == 0x0011) has_columns_ = true;
      if (depth == 0 && pixel_data) check_bits_stored_fit();
      // Rows and Columns are type 1 and come before Pixel Data (elements are in tag order). Without them GDCM
      // guesses at the image and asserts (PixmapReader::ReadImageInternal, IsTransferSyntaxCompatible; a fuzzed
      // (0028,0210) in place of Rows aborted it).
      if (depth == 0 && pixel_data && !(has_rows_ && has_columns_))
        fail_read(ErrorCode::bad_format, path_,
                  std::string("corrupt DICOM: Pixel Data without ") +
                      (has_rows_ ? "Columns (0028,0011)" : has_columns_ ? "Rows (0028,0010)" : "Rows and Columns (0028,0010/0011)") +
                      " before it");
      if (length == kUndefined) {
        // Only sequences (SQ, or UN holding one) and encapsulated pixel data may have undefined length;
        // GDCM asserts on any other VR with it.
        if (explicit_ && !(vr == "SQ" || vr == "UN" || (pixel_data && (vr == "OB" || vr == "OW"))))
          truncated("undefined length with value representation " + vr, group, element);
        // A sequence (SQ, or any undefined length in implicit VR) or encapsulated pixel data: a list of items.
        // A UN sequence's items are implicit VR whatever the file's syntax (CP-246), and GDCM reads them so.
        const bool implicit_inside = explicit_ && vr == "UN" && !pixel_data;
        if (implicit_inside) explicit_ = false;
        const bool complete = walk_sequence(depth + 1, pixel_data);
        if (implicit_inside) explicit_ = true;
        if (!complete) return false;
        continue;
      }
      need(length, group, element);
      if (group == 0x0028 && element == 0x0002) check_samples_per_pixel(length);
      if (group == 0x0028 && element == 0x0006) check_planar_configuration(length);
      if (group == 0x0028 && element == 0x0100) {
        const std::uint16_t bits = peek_us(length, 0x0100, "Bits Allocated");
        if (ijg_jpeg_ || jpeg_ls_ || rle_) check_compressed_bits_allocated(bits);
        if (depth == 0) bits_allocated_ = bits;
      }
      if (depth == 0 && group == 0x0028 && element == 0x0101) bits_stored_ = peek_us(length, 0x0101, "Bits Stored");
      if (group == 0x0028 && element == 0x0004) check_photometric_interpretation(length);
      if (group == 0x0008 && element == 0x0010 && depth == 0) check_recognition_code(length);
      seek(pos_ + length);
    }
    if (stop_at_item_end) truncated("item without its delimiter", 0, 0);
    return true;
  }

  // Items (FFFE,E000) until the sequence delimiter (FFFE,E0DD). Fragments of pixel data hold raw bytes.
  bool walk_sequence(int depth, bool fragments) {
    for (std::size_t item = 0;; ++item) {
      if (pos_ + 8 > size_) truncated("sequence without its delimiter", 0, 0);
      unsigned char b[8];
      read_raw(reinterpret_cast<char*>(b), 8);
      const std::uint16_t group = u16(b, big_endian_), element = u16(b + 2, big_endian_);
      const std::uint32_t length = u32(b + 4, big_endian_);
      if (group != 0xFFFE) truncated("expected a sequence item", group, element);
      // A delimiter's length must be 0; GDCM allocates whatever it says (a fuzzed 1.4 GB from a 1.5 KB file).
      if (element == 0xE0DD) {
        if (length != 0) truncated("sequence delimiter with length " + std::to_string(length) + " (must be 0)", group, element);
        return true;
      }
      if (element != 0xE000) truncated("expected a sequence item", group, element);
      if (length == kUndefined) {
        if (fragments) truncated("pixel data fragment with undefined length", group, element);
        if (!walk_items_until(size_, depth, /*stop_at_item_end=*/true)) return false;
        continue;
      }
      need(length, group, element);
      if (fragments) {
        // Item 0 is the basic offset table; the frames' fragments follow. GDCM reads a JPEG header while
        // reading the file, before osgan can check anything, so the headers are checked here.
        if (ijg_jpeg_ && item > 0) {
          std::vector<unsigned char> fragment(length);
          read_raw(reinterpret_cast<char*>(fragment.data()), length);
          seek(pos_ - length);
          check_dicom_jpeg_header(path_, fragment, "JPEG fragment " + std::to_string(item - 1));
        }
        if (rle_ && item > 0) check_rle_header(length, item - 1);
        seek(pos_ + length);
      } else if (!walk_items_until(pos_ + length, depth, /*stop_at_item_end=*/false)) {
        return false;
      }
    }
  }

  const std::filesystem::path& path_;
  std::uint64_t size_;
  std::ifstream in_;
  std::uint64_t pos_ = 0;
  bool explicit_ = true;
  bool big_endian_ = false;
  bool ijg_jpeg_ = false;  // pixel data fragments are JPEG that GDCM's IJG codec reads
  bool rle_ = false;       // pixel data fragments are RLE frames
  bool jpeg_ls_ = false;   // pixel data fragments are JPEG-LS
  bool has_rows_ = false, has_columns_ = false;         // the data set's Rows and Columns have been seen
  std::uint16_t bits_allocated_ = 0, bits_stored_ = 0;  // the data set's, 0 until seen
};

}  // namespace

void check_dicom_structure(const std::filesystem::path& path) {
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) fail_read(ErrorCode::io, path, ec.message());
  Walker walker(path, size);
  walker.walk_file();
}

}  // namespace osgan::io::detail
