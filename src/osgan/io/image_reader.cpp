// TEMPORARY minimal reader (stb only) so that dependent code can build; replaced by the io work.
#include <fstream>

#include "osgan/core/error.h"
#include "osgan/io/image.h"

#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>

namespace osgan::io {

std::string detect_format(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char m[8] = {0};
  in.read(reinterpret_cast<char*>(m), 8);
  if (in.gcount() >= 8 && m[0] == 0x89 && m[1] == 'P' && m[2] == 'N' && m[3] == 'G') return "png";
  if (in.gcount() >= 3 && m[0] == 0xFF && m[1] == 0xD8 && m[2] == 0xFF) return "jpeg";
  return "";
}

bool is_supported_image(const std::filesystem::path& path) { return !detect_format(path).empty(); }

ImageFile read_image_file(const std::filesystem::path& path, const ReadOptions&) {
  int w = 0, h = 0, c = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &c, 1);
  if (!data) fail(ErrorCode::bad_format, "cannot read \"" + path.string() + "\" (" + stbi_failure_reason() + ")");
  ImageFile file;
  file.info.format = detect_format(path);
  file.info.width = w;
  file.info.height = h;
  file.info.channels = c;
  file.info.channel_mode = c == 1 ? "grey" : c == 2 ? "grey+alpha" : c == 3 ? "rgb" : "rgba";
  Slice s;
  s.image = Image(h, w);
  for (int i = 0; i < w * h; ++i) s.image.pixels[i] = data[i];
  stbi_image_free(data);
  file.slices.push_back(std::move(s));
  return file;
}

}  // namespace osgan::io
