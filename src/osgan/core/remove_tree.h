// Removing a folder and everything in it, without std::filesystem::remove_all: the pip builds of LibTorch 2.x
// export their own copy of that function from libtorch.so, and calls bind to it and crash (seen with torch 2.11
// on the GPU machine: SIGSEGV inside remove_all resolved in libtorch.so). This one uses POSIX calls only.
#pragma once
#include <filesystem>

namespace osgan {

// Removes `path` (a file, a symlink, or a folder with all its content; symlinks are never followed). A missing
// path is not an error. Returns false, with the reason in `error`, when something could not be removed.
bool remove_tree(const std::filesystem::path& path, std::string* error = nullptr);

}  // namespace osgan
