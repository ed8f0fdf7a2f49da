// Atomic file output: write to a temporary file beside the target, fsync, then rename over the target,
// so a reader (or a resumed run) never sees a half-written file under its final name.
#pragma once
#include <filesystem>
#include <functional>
#include <string>

namespace osgan {

// Calls write(tmp_path) to produce the content at a temporary path, then renames it to `path`.
// On any failure the temporary file is removed, `path` keeps its old content, and osgan::Error is thrown.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path& tmp_path)>& write);

// Writes `content` to `path` atomically.
void write_text_atomically(const std::filesystem::path& path, const std::string& content);

// Reads a whole file; throws osgan::Error naming the file when it cannot.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace osgan
