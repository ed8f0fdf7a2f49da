// Running osgan itself as a child process: the pipeline trains the GANs of several classes at once, one process
// each, because a process is the unit that keeps a run deterministic (LibTorch's default random generator is
// global, so two trainers in one process would interleave their draws) and a CPU run of the quick preset gains
// more from a second process than from a second thread.
#pragma once
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace osgan {

// The running osgan binary as "/proc/self/exe", so a child runs exactly this build, even when the file it was
// started from has since been rebuilt or deleted.
std::filesystem::path current_executable();

class ChildProcess {
 public:
  // Starts argv[0] with argv, stdout and stderr appended to `log_file` (created if missing). Throws osgan::Error
  // naming the program when it cannot start.
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log_file);
  ~ChildProcess();  // a child still running is terminated (SIGTERM) and reaped, so none outlives an error
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Non-blocking; true once the child has ended (then exit_code() is valid).
  bool poll();
  // Asks a running child to stop (SIGTERM; osgan's trainers then save a checkpoint and exit).
  void terminate();
  // Blocks until the child ends; returns exit_code().
  int wait();
  // The exit status, or 128 + signal number when a signal ended it (the shell's convention).
  int exit_code() const { return exit_code_; }
  const std::filesystem::path& log_file() const { return log_file_; }

 private:
  void record_status(int status);
  pid_t pid_ = -1;
  bool running_ = false;
  int exit_code_ = -1;
  std::filesystem::path log_file_;
};

}  // namespace osgan
