#include "support/test_support.h"

#include <cstdlib>
#include <fstream>
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

void write_tiny_png(const fs::path& path) {
  static const unsigned char kPng[] = {  // signature, IHDR, IDAT, IEND
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
      0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49,
      0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x68, 0x00, 0x00, 0x00, 0x82, 0x00, 0x81, 0x77, 0xcd, 0x72, 0xb6, 0x00, 0x00,
      0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(kPng), sizeof kPng);
}

}  // namespace osgan::test
