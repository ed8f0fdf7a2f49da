#include "osgan/core/write_fault_injection.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

namespace fs = std::filesystem;

namespace osgan::write_faults {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

bool is_inside(const fs::path& path, const fs::path& dir) {
  const auto p = fs::weakly_canonical(fs::absolute(path)), d = fs::weakly_canonical(fs::absolute(dir));
  auto pi = p.begin();
  for (auto di = d.begin(); di != d.end(); ++di, ++pi)
    if (di->empty()) continue;  // a trailing separator
    else if (pi == p.end() || *pi != *di) return false;
  return true;
}

}  // namespace

std::string refusal_before_write(const fs::path& path) {
  const auto read_only = env("OSGAN_TEST_READ_ONLY_DIR");
  if (!read_only.empty() && is_inside(path, read_only))
    return "Read-only file system; simulated by OSGAN_TEST_READ_ONLY_DIR";
  return "";
}

std::string charge_bytes(std::uintmax_t bytes) {
  const auto limit = env("OSGAN_TEST_DISK_BYTES");
  if (limit.empty()) return "";
  static std::uintmax_t written = 0;
  written += bytes;
  if (written > std::stoull(limit)) return "No space left on device; simulated by OSGAN_TEST_DISK_BYTES";
  return "";
}

void pause_mid_write_if_requested(const fs::path& path, const fs::path& tmp) {
  const auto match = env("OSGAN_TEST_PAUSE_WRITING");
  if (match.empty() || path.filename().string().find(match) == std::string::npos) return;
  std::string bytes;
  {
    std::ifstream in(tmp, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const auto half = bytes.size() / 2;
  fs::resize_file(tmp, half);
  const auto ms = env("OSGAN_TEST_PAUSE_MS");
  std::cerr << "osgan test hook: paused half-way through writing " << path.string() << " (temporary " << tmp.string()
            << ")" << std::endl;
  std::this_thread::sleep_for(std::chrono::milliseconds(ms.empty() ? 2000 : std::stoll(ms)));
  std::ofstream out(tmp, std::ios::binary | std::ios::app);
  out.write(bytes.data() + half, static_cast<std::streamsize>(bytes.size() - half));
}

}  // namespace osgan::write_faults
