// Writing 8-bit grey PNGs with text chunks (libpng), and reading the text chunks back. Generated images carry
// a chunk that marks them SYNTHETIC, so they can never be mistaken for patient images. Torch-free.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "osgan/io/image.h"

namespace osgan::io {

// Writes `image` (values 0..255; rounded, and clamped to that range) as an 8-bit grey PNG, atomically.
// Each (key, value) becomes a tEXt chunk, or an iTXt chunk when the value is not plain ASCII.
// Keys must be 1-79 printable Latin-1 characters (PNG rule); throws osgan::Error otherwise or on I/O failure.
void write_png_grey8(const std::filesystem::path& path, const Image& image,
                     const std::vector<std::pair<std::string, std::string>>& text = {});

// Every text chunk (tEXt, zTXt, iTXt) of a PNG, key -> value. Throws osgan::Error naming the file when it
// cannot be read or is not a PNG.
std::map<std::string, std::string> read_png_text(const std::filesystem::path& path);

}  // namespace osgan::io
