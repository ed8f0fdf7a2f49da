#include "osgan/train/interrupt.h"

namespace osgan {
namespace {

volatile std::sig_atomic_t g_interrupt_requested = 0;

void osgan_on_signal(int) { g_interrupt_requested = 1; }

}  // namespace

InterruptGuard::InterruptGuard() {
  clear();
  old_int_ = std::signal(SIGINT, osgan_on_signal);
  old_term_ = std::signal(SIGTERM, osgan_on_signal);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, old_int_ == SIG_ERR ? SIG_DFL : old_int_);
  std::signal(SIGTERM, old_term_ == SIG_ERR ? SIG_DFL : old_term_);
}

bool InterruptGuard::requested() { return g_interrupt_requested != 0; }
void InterruptGuard::request() { g_interrupt_requested = 1; }
void InterruptGuard::clear() { g_interrupt_requested = 0; }

}  // namespace osgan
