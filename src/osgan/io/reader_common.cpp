// File checks, limits, grey conversion and slice selection shared by the format readers. The checks use
// POSIX stat/open so that symlink loops, directories and permission problems get their own message.
#include "osgan/io/reader_common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "osgan/core/log.h"
#include "osgan/core/one_line.h"

namespace osgan::io::detail {

namespace {

// Closes a file descriptor on scope exit.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_reason(int err) {
  switch (err) {
    case ENOENT: return "file not found";
    case ELOOP: return "too many levels of symbolic links (a symlink loop?)";
    case EACCES: return "permission denied";
    case EISDIR: return "is a directory, not an image file";
    default: return std::strerror(err);
  }
}

}  // namespace

void fail_read(ErrorCode code, const std::filesystem::path& path, const std::string& reason) {
  // Reasons quote the libraries, which quote the file (libpng names a chunk by its bytes).
  fail(code, "read_image_file: cannot read \"" + one_line(path.string()) + "\" (" + one_line(reason) + ")");
}

std::uint64_t check_regular_file(const std::filesystem::path& path, const ReadLimits& limits) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail_read(ErrorCode::io, path, errno_reason(errno));
  if (S_ISDIR(st.st_mode)) fail_read(ErrorCode::io, path, errno_reason(EISDIR));
  if (!S_ISREG(st.st_mode)) fail_read(ErrorCode::io, path, "not a regular file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size == 0) fail_read(ErrorCode::bad_format, path, "empty file (0 bytes)");
  if (size > limits.max_file_bytes)
    fail_read(ErrorCode::bad_format, path,
              "file is " + std::to_string(size) + " bytes, over the limit of " +
                  std::to_string(limits.max_file_bytes) + "; raise ReadLimits::max_file_bytes if it is genuine");
  // Open once so that unreadable files fail here, with their reason, rather than inside a library.
  // (O_NONBLOCK: a FIFO swapped in after the stat must not block us; regular files ignore the flag.)
  FdGuard fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (fd.fd < 0) fail_read(ErrorCode::io, path, errno_reason(errno));
  return size;
}

std::vector<unsigned char> read_file_bytes(const std::filesystem::path& path) {
  FdGuard fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (fd.fd < 0) fail_read(ErrorCode::io, path, errno_reason(errno));
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) fail_read(ErrorCode::io, path, errno_reason(errno));
  std::vector<unsigned char> bytes(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_read(ErrorCode::io, path, errno_reason(errno));
    if (n == 0) break;  // shrank while we read: the decoder then sees a truncated file
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

std::vector<unsigned char> read_file_head(const std::filesystem::path& path, std::size_t count) {
  std::vector<unsigned char> bytes;
  struct stat pre {};
  if (::stat(path.c_str(), &pre) != 0 || !S_ISREG(pre.st_mode)) return bytes;  // never open FIFOs or devices
  FdGuard fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (fd.fd < 0) return bytes;
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode)) return bytes;
  bytes.resize(count);
  std::size_t done = 0;
  while (done < count) {
    const ssize_t n = ::read(fd.fd, bytes.data() + done, count - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

void check_pixel_count(const std::filesystem::path& path, std::uint64_t width, std::uint64_t height,
                       std::uint64_t frames, const ReadLimits& limits) {
  const std::string dims = std::to_string(width) + "x" + std::to_string(height) +
                           (frames != 1 ? "x" + std::to_string(frames) : std::string());
  if (width == 0 || height == 0 || frames == 0) fail_read(ErrorCode::bad_format, path, "header gives empty dimensions " + dims);
  // Dimensions past 2^31 cannot be indexed by Image (int) and would overflow the product below.
  constexpr std::uint64_t kMaxSide = (1ull << 31) - 1;
  const bool too_many = width > kMaxSide || height > kMaxSide || frames > kMaxSide ||
                        width * height > limits.max_pixels || frames > limits.max_pixels / (width * height);
  if (too_many)
    fail_read(ErrorCode::bad_format, path,
              "header dimensions " + dims + " exceed the limit of " + std::to_string(limits.max_pixels) +
                  " pixels; the file is corrupt or hostile, or raise ReadLimits::max_pixels");
}

std::vector<int> select_slices(const std::filesystem::path& path, int count, const SliceSelection& selection) {
  std::vector<int> picked;
  switch (selection.kind) {
    case SliceSelection::Kind::all:
      for (int i = 0; i < count; ++i) picked.push_back(i);
      break;
    case SliceSelection::Kind::middle: {
      if (selection.middle_count < 1)
        fail_read(ErrorCode::invalid_argument, path,
                  "middle slice count must be at least 1, got " + std::to_string(selection.middle_count));
      const int n = std::min(selection.middle_count, count);
      const int first = (count - n) / 2;
      for (int i = first; i < first + n; ++i) picked.push_back(i);
      break;
    }
    case SliceSelection::Kind::range: {
      const int last = selection.last < 0 ? count - 1 : std::min(selection.last, count - 1);
      if (selection.first < 0 || selection.first > last)
        fail_read(ErrorCode::invalid_argument, path,
                  "slice range " + std::to_string(selection.first) + ".." + std::to_string(selection.last) +
                      " selects nothing from the file's " + std::to_string(count) + " slices (0.." +
                      std::to_string(count - 1) + ")");
      for (int i = selection.first; i <= last; ++i) picked.push_back(i);
      break;
    }
  }
  return picked;
}

ImageFile single_image_file(const std::string& format, int bits_per_sample, int channels, Image image,
                            std::vector<HeaderRepair> repairs) {
  ImageFile file;
  file.info.repairs = std::move(repairs);
  file.info.format = format;
  file.info.bits_per_sample = bits_per_sample;
  file.info.channels = channels;
  file.info.channel_mode = channel_mode_name(channels);
  file.info.width = image.width;
  file.info.height = image.height;
  file.info.frames = 1;
  file.slices.push_back(Slice{std::move(image), -1});
  return file;
}

std::string describe_repairs(const std::vector<HeaderRepair>& repairs) {
  std::string text;
  for (const auto& r : repairs)
    text += (text.empty() ? "" : "; ") + r.field + (r.value.empty() ? "" : " = " + r.value) + ": " + r.action;
  return one_line(text);
}

void report_repairs(const std::filesystem::path& path, const std::vector<HeaderRepair>& repairs, bool strict) {
  if (repairs.empty()) return;
  const std::string fields = describe_repairs(repairs);
  if (strict)
    fail_read(ErrorCode::bad_format, path, "strict reading refuses a header osgan has to ignore, repair or guess: " + fields);
  log_warning("read_image_file: \"" + one_line(path.string()) + "\": header read with repairs (an error with --strict): " +
              fields);
}

std::string channel_mode_name(int channels) {
  switch (channels) {
    case 1: return "grey";
    case 2: return "grey+alpha";
    case 3: return "rgb";
    default: return "rgba";
  }
}

}  // namespace osgan::io::detail
