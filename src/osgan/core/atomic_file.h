// Atomic file output: write to a temporary file beside the target, fsync, then rename over the target,
// so a reader (or a resumed run) never sees a half-written file under its final name.
#pragma once
#include <filesystem>
#include <functional>
#include <string>

namespace osgan {

// Creates an empty temporary file beside `path` (named "<name>.tmp.<pid>.<n>"), calls write(tmp_path) to fill it,
// syncs it and renames it to `path`. On any failure (including a writer's own exception) the temporary file is
// removed, `path` keeps its old content, and osgan::Error(io) is thrown naming `path` and the reason.
// Test seams (full disk, read-only folder, a pause mid-write): see write_fault_injection.h.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path& tmp_path)>& write);

// Writes `content` to `path` atomically.
void write_text_atomically(const std::filesystem::path& path, const std::string& content);

// Whether `path` is named as a temporary file of write_atomically ("<name>.tmp.<pid>.<n>"); such files are left
// behind only by a process killed mid-write.
bool is_temporary_file(const std::filesystem::path& path);

// Removes the temporary files in `dir` and its subfolders (one level down: a run folder's checkpoints/, samples/)
// whose writing process is gone, e.g. those of a killed run before running into its folder again; returns how many.
// Files of a live writer and files named otherwise are kept.
int remove_temporary_files(const std::filesystem::path& dir);

// Reads a whole file; throws osgan::Error naming the file when it cannot.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace osgan
