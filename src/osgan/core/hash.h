// Content hashes for files and buffers (exact-duplicate detection, checkpoint identity in generated images).
#pragma once
#include <filesystem>
#include <string>

namespace osgan {

std::string sha256_hex(const std::string& bytes);
// Throws osgan::Error naming the file when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace osgan
