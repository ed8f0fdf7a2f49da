#include "osgan/core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "osgan/core/error.h"

namespace fs = std::filesystem;

namespace osgan {
namespace {

std::string temporary_name_for(const fs::path& path) {
  std::random_device rd;
  return path.filename().string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rd() % 100000);
}

void fsync_file(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_atomically(const fs::path& path, const std::function<void(const fs::path&)>& write) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const fs::path tmp = dir / temporary_name_for(path);
  try {
    write(tmp);
    if (!fs::exists(tmp)) fail(ErrorCode::io, "writing \"" + path.string() + "\": the writer produced no file");
    fsync_file(tmp);
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) fail(ErrorCode::io, "cannot write \"" + path.string() + "\" (" + ec.message() + ")");
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

void write_text_atomically(const fs::path& path, const std::string& content) {
  write_atomically(path, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) fail(ErrorCode::io, "cannot write \"" + path.string() + "\" (" + std::strerror(errno) + ")");
    out << content;
    out.flush();
    if (!out) fail(ErrorCode::io, "cannot write \"" + path.string() + "\" (" + std::strerror(errno) + ", disk full?)");
  });
}

std::string read_text_file(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) fail(ErrorCode::io, "cannot read \"" + path.string() + "\" (it is a directory)");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorCode::io, "cannot read \"" + path.string() + "\" (" + std::strerror(errno) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace osgan
