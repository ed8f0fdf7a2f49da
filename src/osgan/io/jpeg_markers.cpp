// JPEG marker walk (ITU-T T.81 B.1) over a DICOM frame's header: SOI, then segments FF xx with a 2-byte big-endian
// length, up to the scan header (SOS). And the Orientation tag of an Exif APP1 payload (Exif 2.3, a TIFF IFD).
#include "osgan/io/jpeg_markers.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "osgan/io/reader_common.h"

namespace osgan::io::detail {

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

int exif_orientation(const unsigned char* p, std::size_t size) {
  // "Exif\0\0", then the TIFF header: byte order "II" or "MM", 42, the offset of IFD0 (from the TIFF header).
  constexpr std::size_t kTiff = 6;
  if (size < kTiff + 8 || !std::equal(p, p + kTiff, "Exif\0\0")) return -1;
  const bool big = p[kTiff] == 'M' && p[kTiff + 1] == 'M';
  if (!big && !(p[kTiff] == 'I' && p[kTiff + 1] == 'I')) return -1;
  const std::size_t n = size - kTiff;  // bytes of the TIFF structure
  const unsigned char* t = p + kTiff;
  const auto u16 = [&](std::size_t at) { return big ? unsigned(t[at]) << 8 | t[at + 1] : unsigned(t[at + 1]) << 8 | t[at]; };
  const auto u32 = [&](std::size_t at) { return std::uint64_t(u16(big ? at : at + 2)) << 16 | u16(big ? at + 2 : at); };
  if (u16(2) != 42) return -1;
  const std::uint64_t ifd = u32(4);
  if (ifd + 2 > n) return -1;
  const unsigned entries = u16(static_cast<std::size_t>(ifd));
  for (unsigned i = 0; i < entries; ++i) {
    const std::uint64_t at = ifd + 2 + 12 * std::uint64_t{i};
    if (at + 12 > n) return -1;
    // Tag 0x0112, type SHORT (3), count 1: the value sits in the first two bytes of the value field.
    if (u16(static_cast<std::size_t>(at)) == 0x0112 && u16(static_cast<std::size_t>(at) + 2) == 3)
      return static_cast<int>(u16(static_cast<std::size_t>(at) + 8));
  }
  return -1;
}

}  // namespace osgan::io::detail
