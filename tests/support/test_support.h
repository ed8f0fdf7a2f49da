// Helpers shared by the tests: scratch folders, scoped environment variables and the path of the shared real data.
#pragma once
#include <filesystem>
#include <string>

namespace osgan::test {

// A fresh empty folder under the system temp dir, removed when the object goes away.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag);
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Sets an environment variable for one scope (the test seams of the writer and the trainer read them), then unsets it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

// ../shared/data/mri_based_brain_tumor_images, or an empty path when it is not present.
std::filesystem::path real_data_dir();

// Writes a valid 1x1 grey PNG at `path`, creating its folder.
void write_tiny_png(const std::filesystem::path& path);

}  // namespace osgan::test
