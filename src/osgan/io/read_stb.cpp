// PNG (8 and 16 bit), JPEG and BMP through stb_image, from the file's bytes in memory. The header is read
// first (stbi_info) so that the pixel limit holds before anything is decoded; 16-bit PNGs keep 0..65535.
#include <cstdlib>
#include <memory>

#include "osgan/io/jpeg_markers.h"
#include "osgan/io/reader_common.h"

// Two UBSan checks are off for stb's code only (fuzz_image_stb findings):
// - nonnull: stb_image 2.27 copies zero bytes from a null pointer for a PNG whose first IDAT chunk is empty
//   (legal PNG); nothing is copied, and a real null dereference still faults.
// - signed-integer-overflow: on corrupt JPEG data stb's DC prediction sums differences without bound (fixed
//   upstream in 2.28 by refusing the file). This file is compiled with -fwrapv (CMakeLists.txt), so the sum wraps
//   as defined behaviour and the corrupt file decodes to noise, as any JPEG with damaged entropy-coded data does.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("nonnull-attribute", "signed-integer-overflow"))), apply_to = function)
#endif
#define STB_IMAGE_IMPLEMENTATION
#define STBI_NO_STDIO        // we hand stb the bytes ourselves, after the size check
#include <stb_image.h>
#if defined(__clang__)
#pragma clang attribute pop
#endif

namespace osgan::io::detail {

namespace {

struct StbFree {
  void operator()(void* p) const { stbi_image_free(p); }
};

// Interleaved samples of `channels` per pixel to one grey channel (see to_grey).
template <typename T>
Image to_grey_image(const T* data, int width, int height, int channels, float alpha_max) {
  Image image(height, width);
  float px[4];
  const std::size_t n = static_cast<std::size_t>(width) * height;
  for (std::size_t i = 0; i < n; ++i) {
    for (int c = 0; c < channels; ++c) px[c] = static_cast<float>(data[i * channels + c]);
    image.pixels[i] = to_grey(px, channels, alpha_max);
  }
  return image;
}

// Width and height straight from a PNG IHDR or BMP info header, so the pixel limit can be checked (and
// named) even where stbi_info gives up with a generic message; false when the header is too short.
bool header_dims(const std::vector<unsigned char>& b, const std::string& format, std::uint64_t& w, std::uint64_t& h) {
  auto be32 = [&](std::size_t at) { return std::uint32_t(b[at]) << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]; };
  auto le32 = [&](std::size_t at) { return std::uint32_t(b[at + 3]) << 24 | b[at + 2] << 16 | b[at + 1] << 8 | b[at]; };
  if (format == "png" && b.size() >= 24) {
    w = be32(16), h = be32(20);
    return true;
  }
  if (format == "bmp" && b.size() >= 26 && le32(14) >= 40) {  // BITMAPINFOHEADER or later: signed 32-bit sizes
    const auto sw = static_cast<std::int32_t>(le32(18)), sh = static_cast<std::int32_t>(le32(22));
    w = static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(sw)));
    h = static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(sh)));  // negative height: top-down rows
    return true;
  }
  return false;
}

// Every PNG chunk must fit in the file. stb_image grows its IDAT buffer to a chunk's declared length before it
// reads it, so a 100-byte file declaring a 2 GiB chunk made it allocate 2 GiB (fuzz_image_stb).
void check_png_chunks(const std::filesystem::path& path, const std::vector<unsigned char>& b) {
  auto be32 = [&](std::size_t at) { return std::uint32_t(b[at]) << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]; };
  std::size_t at = 8;  // after the signature
  while (at + 12 <= b.size()) {
    const std::uint64_t length = be32(at);
    const std::uint64_t room = b.size() - at - 12;  // the length, type and CRC fields take 12 bytes
    if (length > room)
      fail_read(ErrorCode::bad_format, path, "PNG chunk at byte " + std::to_string(at) + " declares " +
                std::to_string(length) + " data bytes but the file has " + std::to_string(room) +
                " left (corrupt or truncated)");
    const bool end = b[at + 4] == 'I' && b[at + 5] == 'E' && b[at + 6] == 'N' && b[at + 7] == 'D';
    at += 12 + static_cast<std::size_t>(length);
    if (end) break;
  }
}

}  // namespace

ImageFile read_stb_file(const std::filesystem::path& path, const std::string& format, const ReadOptions& options) {
  const std::vector<unsigned char> bytes = read_file_bytes(path);
  const auto* buf = bytes.data();
  const int len = static_cast<int>(bytes.size());  // max_file_bytes is checked; stb takes an int length
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
    fail_read(ErrorCode::unsupported, path, format + " files over 2 GiB are not supported");

  if (format == "jpeg") check_jpeg_markers(path, bytes);  // stb 2.27 overflows on some Huffman tables
  if (format == "png") check_png_chunks(path, bytes);    // stb allocates what a chunk declares
  std::uint64_t header_w = 0, header_h = 0;
  if (header_dims(bytes, format, header_w, header_h)) check_pixel_count(path, header_w, header_h, 1, options.limits);
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(buf, len, &width, &height, &channels))
    fail_read(ErrorCode::bad_format, path, "corrupt or unsupported " + format + " header (stb_image: " + stbi_failure_reason() + ")");
  check_pixel_count(path, static_cast<std::uint64_t>(width), static_cast<std::uint64_t>(height), 1, options.limits);

  ImageFile file;
  file.info.format = format;
  const bool sixteen = stbi_is_16_bit_from_memory(buf, len) != 0;
  int w = 0, h = 0, c = 0;
  Image image;
  if (sixteen) {
    std::unique_ptr<stbi_us, StbFree> data(stbi_load_16_from_memory(buf, len, &w, &h, &c, 0));
    if (!data) fail_read(ErrorCode::bad_format, path, "corrupt or truncated " + format + " data (stb_image: " + stbi_failure_reason() + ")");
    image = to_grey_image(data.get(), w, h, c, 65535.f);
  } else {
    std::unique_ptr<stbi_uc, StbFree> data(stbi_load_from_memory(buf, len, &w, &h, &c, 0));
    if (!data) fail_read(ErrorCode::bad_format, path, "corrupt or truncated " + format + " data (stb_image: " + stbi_failure_reason() + ")");
    image = to_grey_image(data.get(), w, h, c, 255.f);
  }
  file.info.bits_per_sample = sixteen ? 16 : 8;
  file.info.channels = c;
  file.info.channel_mode = channel_mode_name(c);
  file.info.width = w;
  file.info.height = h;
  file.info.frames = 1;
  file.slices.push_back(Slice{std::move(image), -1});
  return file;
}

}  // namespace osgan::io::detail
