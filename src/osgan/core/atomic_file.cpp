#include "osgan/core/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "osgan/core/error.h"
#include "osgan/core/write_fault_injection.h"

namespace fs = std::filesystem;

namespace osgan {
namespace {

constexpr const char* kTemporaryMarker = ".tmp.";

std::string temporary_name_for(const fs::path& path) {
  std::random_device rd;
  return path.filename().string() + kTemporaryMarker + std::to_string(::getpid()) + "." +
         std::to_string(rd() % 100000);
}

[[noreturn]] void fail_write(const fs::path& path, const std::string& reason) {
  fail(ErrorCode::io, "cannot write \"" + path.string() + "\" (" + reason +
       "). Hint: check that the folder exists, is writable and has free space; earlier outputs are intact.");
}

// Creates the empty temporary file, so a missing, read-only or full folder is reported with its reason before any
// writer (LibTorch's, libpng's) gives a vaguer one.
void create_temporary(const fs::path& path, const fs::path& tmp) {
  const auto refusal = write_faults::refusal_before_write(path);
  if (!refusal.empty()) fail_write(path, refusal);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) fail_write(path, std::strerror(errno));
  ::close(fd);
}

// Data and directory entry reach the disk before the caller goes on; a full disk often shows only here.
void fsync_path(const fs::path& final_path, const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return;  // some file systems do not open directories; the data itself was synced
  const int status = ::fsync(fd);
  const int fsync_errno = errno;
  ::close(fd);
  if (status != 0 && fsync_errno != EINVAL && fsync_errno != EROFS) fail_write(final_path, std::strerror(fsync_errno));
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

void write_atomically(const fs::path& path, const std::function<void(const fs::path&)>& write) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const fs::path tmp = dir / temporary_name_for(path);
  create_temporary(path, tmp);
  try {
    try {
      write(tmp);
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {  // LibTorch's c10::Error carries a backtrace after its first line
      fail_write(path, first_line(e.what()));
    }
    std::error_code ec;
    const auto bytes = fs::file_size(tmp, ec);
    if (ec) fail(ErrorCode::io, "writing \"" + path.string() + "\": the writer produced no file");
    const auto no_space = write_faults::charge_bytes(bytes);
    if (!no_space.empty()) fail_write(path, no_space);
    write_faults::pause_mid_write_if_requested(path, tmp);
    fsync_path(path, tmp, O_RDONLY);
    fs::rename(tmp, path, ec);
    if (ec) fail_write(path, ec.message());
    fsync_path(path, dir, O_RDONLY | O_DIRECTORY);
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

namespace {

// The writer's process id in "<name>.tmp.<pid>.<n>", or -1 when the name has another form (a user's "x.tmp.txt").
long temporary_writer_pid(const fs::path& path) {
  const std::string name = path.filename().string();
  const auto marker = name.rfind(kTemporaryMarker);
  if (marker == std::string::npos || marker == 0) return -1;
  const std::string rest = name.substr(marker + std::strlen(kTemporaryMarker));  // "<pid>.<n>"
  const auto dot = rest.find('.');
  const auto all_digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (dot == std::string::npos || !all_digits(rest.substr(0, dot)) || !all_digits(rest.substr(dot + 1))) return -1;
  return std::stol(rest.substr(0, dot));
}

}  // namespace

bool is_temporary_file(const fs::path& path) {
  return temporary_writer_pid(path) >= 0;
}

int remove_temporary_files(const fs::path& dir) {
  int removed = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it.depth() >= 1) it.disable_recursion_pending();  // a run folder and its subfolders, not a whole tree
    if (!it->is_regular_file()) continue;
    const long pid = temporary_writer_pid(it->path());
    if (pid < 0) continue;
    // A writer still alive (another osgan process writing beside us) keeps its file; this process's own id can
    // only be an old process's reused one, as none of our writes is in flight here.
    const bool writer_alive = pid != ::getpid() && pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
    if (!writer_alive && fs::remove(it->path(), ec)) ++removed;
  }
  return removed;
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
