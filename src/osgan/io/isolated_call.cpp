#include "osgan/io/isolated_call.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "osgan/core/error.h"
#include "osgan/io/reader_common.h"

#if defined(__SANITIZE_ADDRESS__)
#define OSGAN_SANITIZED_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OSGAN_SANITIZED_BUILD 1
#endif
#endif

namespace osgan::io::detail {

namespace {

// What the child sends: the length of the rest (8 bytes), one status byte, then the result (ok) or the error code
// byte and its message. The length tells a complete message from one cut short by a crash.
enum Status : char { ok = 0, error = 1 };

// Children whose complete result has arrived are reaped later: a child's exit, the teardown of a copy of this
// large address space, takes about as long as the fork, and nothing in it matters once the result is here.
class FinishedChildren {
 public:
  void add(pid_t pid) {
    std::lock_guard<std::mutex> lock(mutex_);
    pids_.push_back(pid);
  }
  void reap_exited() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<pid_t> running;
    for (pid_t pid : pids_) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == 0) running.push_back(pid);
    }
    pids_.swap(running);
  }

 private:
  std::mutex mutex_;
  std::vector<pid_t> pids_;
};

FinishedChildren& finished_children() {
  static FinishedChildren children;
  return children;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n, size -= static_cast<std::size_t>(n);
  }
  return true;
}

[[noreturn]] void child_main(int fd, const std::function<std::vector<char>()>& work) {
  ::signal(SIGINT, SIG_IGN);  // Ctrl-C is the parent's to handle; the child finishes its one file
  std::vector<char> head, body;  // status (and error code) bytes; the result or the error message
  try {
    body = work();
    head = {Status::ok};
  } catch (const Error& e) {
    const std::string what = e.what();
    head = {Status::error, static_cast<char>(e.code())};
    body.assign(what.begin(), what.end());
  } catch (const std::exception& e) {
    const std::string what = std::string("unexpected error in the decoder process: ") + e.what();
    head = {Status::error, static_cast<char>(ErrorCode::bad_format)};
    body.assign(what.begin(), what.end());
  }
  const std::uint64_t length = head.size() + body.size();
  const bool sent = write_all(fd, reinterpret_cast<const char*>(&length), sizeof length) &&
                    write_all(fd, head.data(), head.size()) && write_all(fd, body.data(), body.size());
  ::close(fd);  // the parent has its result now, before this process's teardown
  // _exit: no atexit handlers, no flushing of stdio buffers the parent also holds.
  ::_exit(sent ? 0 : 3);
}

// True when `received` holds a whole message (its length prefix and that many bytes); `length` is the prefix.
bool whole_message(const std::vector<char>& received, std::uint64_t& length) {
  if (received.size() < sizeof length) return false;
  std::memcpy(&length, received.data(), sizeof length);
  return length >= 1 && received.size() - sizeof length == length;
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGABRT: return "SIGABRT, an assert";
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGKILL: return "SIGKILL, e.g. out of memory";
    default: return "a signal";
  }
}

}  // namespace

bool decoders_isolated() {
  const char* in_process = std::getenv("OSGAN_IN_PROCESS_DECODERS");
  return !(in_process && std::strcmp(in_process, "1") == 0);
}

std::vector<char> call_isolated(const std::filesystem::path& path, const std::string& library,
                                const std::function<std::vector<char>()>& work, std::chrono::milliseconds timeout) {
  if (!decoders_isolated()) return work();
  finished_children().reap_exited();
  int fds[2];
  if (::pipe(fds) != 0) fail_read(ErrorCode::io, path, std::string("cannot create a pipe for the decoder: ") + std::strerror(errno));
  std::fflush(nullptr);  // buffered output would otherwise be written twice, once by the child
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]), ::close(fds[1]);
    fail_read(ErrorCode::io, path, std::string("cannot start a decoder process: ") + std::strerror(err));
  }
  if (pid == 0) {
    ::close(fds[0]);
    child_main(fds[1], work);
  }
  ::close(fds[1]);

  // Read until the whole message is here (another thread's child, forked meanwhile, may hold a copy of the write
  // end, so the end of the pipe can come late), the child closes its end, or the deadline.
  std::vector<char> received;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  char chunk[1 << 16];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.insert(received.end(), chunk, chunk + n);
    std::uint64_t length = 0;
    if (whole_message(received, length)) break;
  }
  ::close(fds[0]);
  std::uint64_t length = 0;
  if (!timed_out && whole_message(received, length)) {
    finished_children().add(pid);
    const auto status = received.begin() + sizeof length;  // then the error code, or the result
    if (status[0] == Status::error && length >= 2 && status[1] >= 0 &&
        status[1] <= static_cast<char>(ErrorCode::interrupted))
      fail(static_cast<ErrorCode>(status[1]), std::string(status + 2, received.end()));
    if (status[0] != Status::ok)
      fail_read(ErrorCode::bad_format, path, "the " + library + " decoder process sent a malformed result");
    return std::vector<char>(status + 1, received.end());
  }

  // No complete result: how the child ended says why.
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  if (timed_out)
    fail_read(ErrorCode::bad_format, path,
              library + " did not finish decoding it within " + std::to_string(timeout.count() / 1000) +
                  " s; the file is corrupt or far larger than it looks");
  if (WIFSIGNALED(status))
    fail_read(ErrorCode::bad_format, path,
              library + " crashed while decoding it (" + signal_name(WTERMSIG(status)) +
                  "): the file is corrupt or uses something this " + library + " build cannot handle");
  {
#ifdef OSGAN_SANITIZED_BUILD
    // A sanitizer report in the child (printed above) is a bug in osgan: make it a finding, not an error message.
    std::fprintf(stderr, "osgan: the decoder process for %s exited with status %d\n", path.c_str(), WEXITSTATUS(status));
    std::abort();
#endif
    fail_read(ErrorCode::bad_format, path,
              "the " + library + " decoder process ended without a result (exit status " +
                  std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
  }
}

}  // namespace osgan::io::detail
