#include "support/test_support.h"

#include <cstdlib>
#include <random>

#include "osgan/core/remove_tree.h"

namespace fs = std::filesystem;

namespace osgan::test {

ScratchDir::ScratchDir(const std::string& tag) {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("osgan-test-" + tag + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  remove_tree(path_);
}

ScopedEnv::ScopedEnv(const char* name, const std::string& value) : name_(name) { ::setenv(name, value.c_str(), 1); }

ScopedEnv::~ScopedEnv() { ::unsetenv(name_); }

fs::path real_data_dir() {
  const char* env = std::getenv("OSGAN_SHARED_DATA");
  fs::path base = env ? fs::path(env) : fs::path(OSGAN_SOURCE_DIR) / ".." / "shared" / "data";
  fs::path dir = base / "mri_based_brain_tumor_images";
  return fs::is_directory(dir) ? dir : fs::path();
}

}  // namespace osgan::test
