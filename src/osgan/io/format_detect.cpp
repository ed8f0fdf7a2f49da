// Which reader a file needs, decided by its first bytes (magic numbers), never by its name: real datasets
// hold PNGs named .jpg. Gzip files are inflated just far enough to see whether a NIfTI header is inside.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "osgan/io/image.h"
#include "osgan/io/reader_common.h"

namespace osgan::io {

namespace {

constexpr std::size_t kHeadBytes = 64 * 1024;  // enough for the DICOM preamble and a gzipped NIfTI header

bool starts_with(const std::vector<unsigned char>& b, std::initializer_list<unsigned char> magic, std::size_t at = 0) {
  if (b.size() < at + magic.size()) return false;
  return std::equal(magic.begin(), magic.end(), b.begin() + static_cast<std::ptrdiff_t>(at));
}

// NIfTI-1 single file (348-byte header, magic "n+1") or NIfTI-2 (540 bytes, "n+2"), either byte order.
// The pair format (.hdr/.img, magic "ni1") is not supported and is not reported.
bool is_nifti_header(const std::vector<unsigned char>& b) {
  if (b.size() < 348) return false;
  std::int32_t size_le = 0;
  std::memcpy(&size_le, b.data(), 4);
  const std::int32_t size_be = static_cast<std::int32_t>(__builtin_bswap32(static_cast<std::uint32_t>(size_le)));
  if ((size_le == 348 || size_be == 348) && starts_with(b, {'n', '+', '1', 0}, 344)) return true;
  return (size_le == 540 || size_be == 540) && starts_with(b, {'n', '+', '2', 0}, 4);
}

// Inflates the start of a gzip stream (at most 1 KiB out), enough to recognise a NIfTI header.
std::vector<unsigned char> gunzip_head(const std::vector<unsigned char>& gz) {
  std::vector<unsigned char> out(1024);
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return {};
  zs.next_in = const_cast<unsigned char*>(gz.data());
  zs.avail_in = static_cast<uInt>(gz.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&zs, Z_SYNC_FLUSH);
  const std::size_t produced = out.size() - zs.avail_out;
  inflateEnd(&zs);
  if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return {};
  out.resize(produced);
  return out;
}

}  // namespace

std::string detect_format(const std::filesystem::path& path) {
  const std::vector<unsigned char> b = detail::read_file_head(path, kHeadBytes);
  if (starts_with(b, {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) return "png";
  if (starts_with(b, {0xFF, 0xD8, 0xFF})) return "jpeg";
  // BMP: "BM", then the offset to the pixels at byte 10 must lie past the 14-byte file header.
  if (starts_with(b, {'B', 'M'}) && b.size() >= 26 &&
      (b[10] | b[11] << 8 | b[12] << 16 | static_cast<std::uint32_t>(b[13]) << 24) >= 14 + 12) return "bmp";
  if (starts_with(b, {'I', 'I', 42, 0}) || starts_with(b, {'M', 'M', 0, 42}) ||   // classic TIFF
      starts_with(b, {'I', 'I', 43, 0}) || starts_with(b, {'M', 'M', 0, 43}))     // BigTIFF
    return "tiff";
  if (starts_with(b, {'D', 'I', 'C', 'M'}, 128)) return "dicom";
  if (is_nifti_header(b)) return "nifti";
  if (starts_with(b, {0x1F, 0x8B}) && is_nifti_header(gunzip_head(b))) return "nifti.gz";
  return "";
}

bool is_supported_image(const std::filesystem::path& path) { return !detect_format(path).empty(); }

}  // namespace osgan::io
