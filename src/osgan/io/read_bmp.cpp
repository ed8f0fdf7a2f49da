// BMP through stb_image (BMP only: PNG and JPEG go to libpng and libjpeg-turbo), from the file's bytes in memory.
// No maintained BMP library is as small, so stb stays here behind osgan's own checks: the pixel limit from the
// header before anything is decoded, uncompressed pixel rows that must all be in the file (stb reads past the
// end as zeros, which would give a cut file silently black rows), and palette indices that must lie inside the
// colour table (stb would read colours from uninitialised memory). stb takes the unused fourth byte of a 32-bit
// BI_RGB pixel as alpha: reported as a header repair when it changes a pixel.
#include <algorithm>
#include <cstdlib>
#include <memory>

#include "osgan/io/reader_common.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_BMP
#define STBI_NO_STDIO  // we hand stb the bytes ourselves, after the size check
#include <stb_image.h>

namespace osgan::io::detail {

namespace {

struct StbFree {
  void operator()(void* p) const { stbi_image_free(p); }
};

std::uint32_t le32(const std::vector<unsigned char>& b, std::size_t at) {
  return std::uint32_t(b[at + 3]) << 24 | b[at + 2] << 16 | b[at + 1] << 8 | b[at];
}

// The BITMAPINFOHEADER (or later) fields osgan checks: signed 32-bit sizes (a negative height means rows stored top
// down), bits per pixel and compression. False for the old 12-byte core header or a file too short to hold one.
struct BmpHeader {
  std::uint32_t header_size = 0;
  std::uint64_t width = 0, height = 0;
  unsigned bits_per_pixel = 0;
  std::uint32_t compression = 0;
  std::uint32_t pixel_offset = 0;
};

bool read_bmp_header(const std::vector<unsigned char>& b, BmpHeader& h) {
  if (b.size() < 34 || le32(b, 14) < 40) return false;
  h.header_size = le32(b, 14);
  const auto sw = static_cast<std::int32_t>(le32(b, 18)), sh = static_cast<std::int32_t>(le32(b, 22));
  h.width = static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(sw)));
  h.height = static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(sh)));
  h.bits_per_pixel = b[28] | b[29] << 8;
  h.compression = le32(b, 30);
  h.pixel_offset = le32(b, 10);
  return true;
}

// Uncompressed rows (BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS) are padded to 4 bytes; all of them must be present.
void check_bmp_rows_present(const std::filesystem::path& path, const std::vector<unsigned char>& b, const BmpHeader& h) {
  const bool uncompressed = h.compression == 0 || h.compression == 3 || h.compression == 6;
  if (!uncompressed || h.bits_per_pixel == 0 || h.bits_per_pixel > 32) return;  // stb refuses the rest itself
  const std::uint64_t row_bytes = (h.width * h.bits_per_pixel + 31) / 32 * 4;
  const std::uint64_t needed = std::uint64_t{h.pixel_offset} + row_bytes * h.height;
  if (needed > b.size())
    fail_read(ErrorCode::bad_format, path,
              "truncated BMP: its " + std::to_string(h.width) + "x" + std::to_string(h.height) + " pixels need " +
                  std::to_string(needed) + " bytes, the file has " + std::to_string(b.size()));
}

// Palette images (1, 4, 8 bits, uncompressed): stb sizes the colour table by the gap between the header and the
// pixels, and an index past it would read an uninitialised colour. Call after check_bmp_rows_present.
void check_bmp_palette_indices(const std::filesystem::path& path, const std::vector<unsigned char>& b, const BmpHeader& h) {
  const unsigned bits = h.bits_per_pixel;
  if (h.compression != 0 || (bits != 1 && bits != 4 && bits != 8)) return;
  if (h.pixel_offset < 14 + h.header_size) return;  // stb refuses it (no colour table)
  const std::uint64_t entries = (h.pixel_offset - 14 - h.header_size) / 4;
  if (entries == 0 || entries > 256) return;  // stb refuses these itself
  const std::uint64_t row_bytes = (h.width * bits + 31) / 32 * 4;
  unsigned highest = 0;
  for (std::uint64_t y = 0; y < h.height; ++y) {
    const unsigned char* row = b.data() + h.pixel_offset + y * row_bytes;
    for (std::uint64_t x = 0; x < h.width; ++x) {
      const unsigned byte = row[x * bits / 8];
      const unsigned shift = 8 - bits - static_cast<unsigned>(x * bits % 8);
      highest = std::max(highest, (byte >> shift) & ((1u << bits) - 1));
    }
  }
  if (highest >= entries)
    fail_read(ErrorCode::bad_format, path,
              "BMP pixel index " + std::to_string(highest) + " lies past the colour table's " + std::to_string(entries) +
                  " entries, so its colour is undefined");
}

// The header repairs of a decoded BMP: stb read the fourth byte of 32-bit BI_RGB pixels, which the format leaves
// unused, as alpha (unless every such byte is 0; then it made them opaque, the same as ignoring them).
std::vector<HeaderRepair> bmp_repairs(const BmpHeader& h, const unsigned char* pixels, std::size_t count, int channels) {
  if (h.compression != 0 || h.bits_per_pixel != 32 || channels != 4) return {};
  for (std::size_t i = 0; i < count; ++i)
    if (pixels[4 * i + 3] != 255)
      return {{"BMP 32-bit BI_RGB fourth byte", "not all 255",
               "guessed alpha (pixels composited over black), though the format leaves that byte unused"}};
  return {};
}

}  // namespace

ImageFile read_bmp_file(const std::filesystem::path& path, const ReadOptions& options) {
  const std::vector<unsigned char> bytes = read_file_bytes(path);
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
    fail_read(ErrorCode::unsupported, path, "BMP files over 2 GiB are not supported");
  const auto* buf = bytes.data();
  const int len = static_cast<int>(bytes.size());  // stb takes an int length

  // Checked from the header first, so that the limit is named even where stbi_info gives a generic message.
  BmpHeader header;
  const bool known_header = read_bmp_header(bytes, header);
  if (known_header) {
    check_pixel_count(path, header.width, header.height, 1, options.limits);
    check_bmp_rows_present(path, bytes, header);
    check_bmp_palette_indices(path, bytes, header);
  }
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(buf, len, &width, &height, &channels))
    fail_read(ErrorCode::bad_format, path, std::string("corrupt or unsupported BMP header (stb_image: ") + stbi_failure_reason() + ")");
  check_pixel_count(path, static_cast<std::uint64_t>(width), static_cast<std::uint64_t>(height), 1, options.limits);

  int w = 0, h = 0, c = 0;
  std::unique_ptr<stbi_uc, StbFree> data(stbi_load_from_memory(buf, len, &w, &h, &c, 0));
  if (!data) fail_read(ErrorCode::bad_format, path, std::string("corrupt or truncated BMP data (stb_image: ") + stbi_failure_reason() + ")");
  std::vector<HeaderRepair> repairs;
  if (known_header) repairs = bmp_repairs(header, data.get(), static_cast<std::size_t>(w) * h, c);
  return single_image_file("bmp", 8, c, interleaved_to_grey(data.get(), w, h, c, 255.f), std::move(repairs));
}

}  // namespace osgan::io::detail
