// libpng writer and text-chunk reader. libpng reports errors through longjmp; both functions keep every
// libpng call inside one setjmp scope with no C++ objects that need destructors created after it.
#include "osgan/io/png_writer.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"

namespace osgan::io {
namespace {

bool is_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

void check_key(const std::filesystem::path& path, const std::string& key) {
  const bool printable = std::all_of(key.begin(), key.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 32 && u <= 126) || u >= 161;
  });
  if (key.empty() || key.size() > 79 || !printable || key.front() == ' ' || key.back() == ' ')
    fail(ErrorCode::invalid_argument, "write_png_grey8: " + path.string() + ": text key \"" + key +
         "\" is not a valid PNG keyword (expected 1-79 printable characters, no leading/trailing space)");
}

// Returns an empty string on success, else libpng's message. Plain C-style body: longjmp-safe.
std::string write_png_file(const char* filename, int width, int height, const std::vector<png_byte>& pixels,
                           std::vector<png_text>& texts) {
  std::FILE* file = std::fopen(filename, "wb");
  if (!file) return "cannot open for writing";
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) {
    png_destroy_write_struct(&png, &info);
    std::fclose(file);
    return "out of memory";
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(file);
    return "libpng write error";
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8, PNG_COLOR_TYPE_GRAY,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!texts.empty()) png_set_text(png, info, texts.data(), static_cast<int>(texts.size()));
  png_write_info(png, info);
  for (int y = 0; y < height; ++y)
    png_write_row(png, const_cast<png_bytep>(pixels.data() + static_cast<size_t>(y) * width));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  if (std::fclose(file) != 0) return "cannot finish writing (disk full?)";
  return "";
}

}  // namespace

void write_png_grey8(const std::filesystem::path& path, const Image& image,
                     const std::vector<std::pair<std::string, std::string>>& text) {
  if (image.height <= 0 || image.width <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.height) * image.width)
    fail(ErrorCode::invalid_argument, "write_png_grey8: " + path.string() + ": expected a non-empty image, got " +
         std::to_string(image.height) + "x" + std::to_string(image.width) + " with " +
         std::to_string(image.pixels.size()) + " pixels");
  std::vector<png_byte> pixels(image.pixels.size());
  for (size_t i = 0; i < pixels.size(); ++i) {
    const float v = image.pixels[i];
    pixels[i] = std::isfinite(v) ? static_cast<png_byte>(std::clamp(std::lround(v), 0L, 255L)) : 0;
  }
  for (const auto& [key, value] : text) check_key(path, key);
  // png_text points into these strings; they outlive the write.
  std::vector<png_text> texts(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    texts[i] = png_text{};
    texts[i].compression = is_ascii(text[i].second) ? PNG_TEXT_COMPRESSION_NONE : PNG_ITXT_COMPRESSION_NONE;
    texts[i].key = const_cast<png_charp>(text[i].first.c_str());
    texts[i].text = const_cast<png_charp>(text[i].second.c_str());
    texts[i].text_length = text[i].second.size();
  }
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    const std::string why = write_png_file(tmp.c_str(), image.width, image.height, pixels, texts);
    if (!why.empty()) fail(ErrorCode::io, "write_png_grey8: " + path.string() + ": " + why);
  });
}

namespace {

// Fills `out`; returns an empty string on success, else the reason.
std::string read_png_text_file(const char* filename, std::map<std::string, std::string>& out) {
  std::FILE* file = std::fopen(filename, "rb");
  if (!file) return "cannot open (file not found or not readable)";
  png_byte signature[8] = {};
  if (std::fread(signature, 1, 8, file) != 8 || png_sig_cmp(signature, 0, 8) != 0) {
    std::fclose(file);
    return "not a PNG file (bad signature)";
  }
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  png_infop end_info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info || !end_info) {
    png_destroy_read_struct(&png, &info, &end_info);
    std::fclose(file);
    return "out of memory";
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, &end_info);
    std::fclose(file);
    return "corrupt or truncated PNG";
  }
  png_init_io(png, file);
  png_set_sig_bytes(png, 8);
  // Text chunks may come before or after the image data: read the whole file.
  png_read_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  for (png_infop which : {info, end_info}) {
    png_textp texts = nullptr;
    int count = 0;
    png_get_text(png, which, &texts, &count);
    for (int i = 0; i < count; ++i)
      out[texts[i].key] = std::string(texts[i].text, texts[i].text ? (texts[i].itxt_length ? texts[i].itxt_length
                                                                                              : texts[i].text_length)
                                                                    : 0);
  }
  png_destroy_read_struct(&png, &info, &end_info);
  std::fclose(file);
  return "";
}

}  // namespace

std::map<std::string, std::string> read_png_text(const std::filesystem::path& path) {
  std::map<std::string, std::string> out;
  const std::string why = read_png_text_file(path.c_str(), out);
  if (!why.empty()) fail(ErrorCode::io, "read_png_text: " + path.string() + ": " + why);
  return out;
}

}  // namespace osgan::io
