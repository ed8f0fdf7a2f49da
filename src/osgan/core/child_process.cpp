#include "osgan/core/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "osgan/core/error.h"

extern char** environ;

namespace osgan {

std::filesystem::path current_executable() {
  // The link itself, not the path it names: exec'ing the link runs the binary this process was started from even
  // after a rebuild has replaced or deleted that file (a pipeline once died at its GAN stage with "cannot start
  // build/bin/osgan (deleted)" because `cmake --build` relinked the program while the anatomy stage ran).
  std::error_code ec;
  const auto target = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || target.empty())
    fail(ErrorCode::io, "cannot find the running osgan binary through /proc/self/exe (" + ec.message() + ")");
  return "/proc/self/exe";
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log_file)
    : log_file_(log_file) {
  if (argv.empty()) throw std::logic_error("ChildProcess: empty argv");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const auto log = log_file.string();
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) fail(ErrorCode::io, "cannot start " + argv[0] + ": " + std::strerror(rc));
  running_ = true;
}

ChildProcess::~ChildProcess() {
  if (!running_) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

void ChildProcess::record_status(int status) {
  running_ = false;
  if (WIFEXITED(status)) exit_code_ = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) exit_code_ = 128 + WTERMSIG(status);
}

bool ChildProcess::poll() {
  if (!running_) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) record_status(status);
  else if (r < 0 && errno != EINTR) running_ = false;  // already reaped elsewhere: nothing left to wait for
  return !running_;
}

void ChildProcess::terminate() {
  if (running_) ::kill(pid_, SIGTERM);
}

int ChildProcess::wait() {
  while (running_) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, 0);
    if (r == pid_) record_status(status);
    else if (r < 0 && errno != EINTR) running_ = false;
  }
  return exit_code_;
}

}  // namespace osgan
