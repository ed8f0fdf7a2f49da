// PNG through libpng, from the file's bytes in memory. Samples are kept as stored, 8 or 16 bits (no gamma or
// colour management); palette and 1-4 bit grey are expanded to 8 bits, tRNS to an alpha channel. A damaged file
// is refused, never decoded to wrong pixels: every chunk's CRC-32 (critical and ancillary) and the image data's
// Adler-32 are checked, and libpng's "benign" errors (extra image data, a bad tRNS) are errors here.
// libpng reports errors by longjmp. Only the png_* step functions below call setjmp, and they hold no object with
// a destructor, so a jump never skips one; the caller allocates between the steps and cleans up after them.
#include <png.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "osgan/io/reader_common.h"

namespace osgan::io::detail {

namespace {

// The most libpng may hold for one chunk; image data (IDAT) is streamed, never held whole.
constexpr png_alloc_size_t kMaxChunkBytes = 8u << 20;

// Ancillary chunks osgan has no use for (colour management, text, layout): skipped unparsed, their CRC still
// checked, so their parsers never see hostile bytes and their quirks (a known-bad sRGB profile) refuse no image.
constexpr png_byte kUnusedChunks[] =
    "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0sBIT\0sCAL\0sPLT\0sRGB\0sTER\0tEXt\0tIME\0zTXt";

constexpr bool kLittleEndian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

// What libpng's callbacks share: the file's bytes and the error message. Plain data only (see the file comment).
struct PngDecoder {
  png_structp png = nullptr;
  png_infop info = nullptr;
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  std::size_t at = 0;
  char message[256] = {};
};

void on_error(png_structp png, png_const_charp message) {
  auto* d = static_cast<PngDecoder*>(png_get_error_ptr(png));
  std::snprintf(d->message, sizeof d->message, "%s", message);
  png_longjmp(png, 1);  // to the setjmp of the step that called libpng; returning would print to stderr
}

// Left are warnings about chunks osgan skips; damage is an error (see the file comment). Nothing is printed.
void on_warning(png_structp, png_const_charp) {}

void read_from_memory(png_structp png, png_bytep out, png_size_t count) {
  auto* d = static_cast<PngDecoder*>(png_get_io_ptr(png));
  if (count > d->size - d->at) png_error(png, "the file ends inside a chunk (truncated, or a chunk length is wrong)");
  std::memcpy(out, d->data + d->at, count);
  d->at += count;
}

// The checks and limits, then the chunks up to the image data. False (d.message says why) on error.
bool png_read_header(PngDecoder& d, png_uint_32 max_side) {
  if (setjmp(png_jmpbuf(d.png))) return false;
  png_set_user_limits(d.png, max_side, max_side);
  png_set_chunk_malloc_max(d.png, kMaxChunkBytes);
  png_set_crc_action(d.png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
#ifdef PNG_IGNORE_ADLER32
  // onoff is a boolean: PNG_OPTION_OFF is 2, which would turn the Adler-32 check off.
  png_set_option(d.png, PNG_IGNORE_ADLER32, 0);
#endif
  png_set_benign_errors(d.png, 0);
  png_set_keep_unknown_chunks(d.png, PNG_HANDLE_CHUNK_NEVER, nullptr, 0);
  png_set_keep_unknown_chunks(d.png, PNG_HANDLE_CHUNK_NEVER, kUnusedChunks, sizeof kUnusedChunks / 5);
  png_set_read_fn(d.png, &d, read_from_memory);
  png_read_info(d.png, d.info);
  return true;
}

// The expansions, then the row layout they give: 1-4 channels of 8 or 16 bits (native byte order).
bool png_prepare_rows(PngDecoder& d, int& channels, int& bits, std::size_t& row_bytes) {
  if (setjmp(png_jmpbuf(d.png))) return false;
  png_set_expand(d.png);  // palette -> RGB, 1-4 bit grey -> 8 bit, tRNS -> alpha
  if (kLittleEndian && png_get_bit_depth(d.png, d.info) == 16) png_set_swap(d.png);
  png_set_interlace_handling(d.png);
  png_read_update_info(d.png, d.info);
  channels = png_get_channels(d.png, d.info);
  bits = png_get_bit_depth(d.png, d.info);
  row_bytes = png_get_rowbytes(d.png, d.info);
  return true;
}

// Every row, then the chunks after the image data up to IEND: their CRCs, and the end of the zlib stream.
bool png_read_rows(PngDecoder& d, png_bytepp rows) {
  if (setjmp(png_jmpbuf(d.png))) return false;
  png_read_image(d.png, rows);
  png_read_end(d.png, nullptr);
  return true;
}

struct PngDestroy {
  PngDecoder& d;
  ~PngDestroy() { png_destroy_read_struct(&d.png, &d.info, nullptr); }
};

}  // namespace

ImageFile read_png_file(const std::filesystem::path& path, const ReadOptions& options) {
  const std::vector<unsigned char> bytes = read_file_bytes(path);
  PngDecoder d;
  d.data = bytes.data();
  d.size = bytes.size();
  d.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &d, on_error, on_warning);
  const PngDestroy destroy{d};
  if (d.png) d.info = png_create_info_struct(d.png);
  if (!d.png || !d.info) fail_read(ErrorCode::io, path, "out of memory while starting libpng");
  const auto fail_png = [&] { fail_read(ErrorCode::bad_format, path, std::string("corrupt PNG (libpng: ") + d.message + ")"); };

  const auto max_side = static_cast<png_uint_32>(std::min<std::uint64_t>(options.limits.max_pixels, PNG_UINT_31_MAX));
  if (!png_read_header(d, max_side)) fail_png();
  const png_uint_32 width = png_get_image_width(d.png, d.info), height = png_get_image_height(d.png, d.info);
  check_pixel_count(path, width, height, 1, options.limits);  // before libpng allocates its row buffers
  int channels = 0, bits = 0;
  std::size_t row_bytes = 0;
  if (!png_prepare_rows(d, channels, bits, row_bytes)) fail_png();
  if (channels < 1 || channels > 4 || (bits != 8 && bits != 16) || row_bytes != std::size_t{width} * channels * (bits / 8))
    fail_read(ErrorCode::unsupported, path, "PNG layout after expansion is " + std::to_string(channels) + " channels of " +
              std::to_string(bits) + " bits; expected 1-4 channels of 8 or 16 bits");

  // (H, W, C) samples; uint16 storage keeps 16-bit rows aligned, 8-bit rows use its bytes.
  std::vector<std::uint16_t> samples((row_bytes * height + 1) / 2);
  auto* first = reinterpret_cast<png_bytep>(samples.data());
  std::vector<png_bytep> rows(height);
  for (png_uint_32 y = 0; y < height; ++y) rows[y] = first + y * row_bytes;
  if (!png_read_rows(d, rows.data())) fail_png();

  const int w = static_cast<int>(width), h = static_cast<int>(height);
  Image image = bits == 16 ? interleaved_to_grey(samples.data(), w, h, channels, 65535.f)
                           : interleaved_to_grey(first, w, h, channels, 255.f);
  return single_image_file("png", bits, channels, std::move(image));
}

}  // namespace osgan::io::detail
