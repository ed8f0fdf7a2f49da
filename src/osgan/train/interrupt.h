// Ctrl-C handling for long runs: while an InterruptGuard lives, SIGINT and SIGTERM only raise a flag, which the
// training loop checks after each step to save a checkpoint and stop cleanly. The old handlers come back after.
#pragma once
#include <csignal>

namespace osgan {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  static bool requested();
  static void request();  // what the handler does; for tests
  static void clear();

 private:
  using Handler = void (*)(int);
  Handler old_int_;
  Handler old_term_;
};

}  // namespace osgan
