#include "osgan/core/log.h"

#include <atomic>
#include <iostream>
#include <mutex>

namespace osgan {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::info)};
std::mutex g_mutex;
}  // namespace

void set_log_level(LogLevel level) { g_level = static_cast<int>(level); }
LogLevel log_level() { return static_cast<LogLevel>(g_level.load()); }

void log_info(const std::string& message) {
  if (g_level < static_cast<int>(LogLevel::info)) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  std::cerr << message << "\n";
}

// Warnings are printed even in quiet mode: a skipped file must never go unnoticed.
void log_warning(const std::string& message) {
  std::lock_guard<std::mutex> lock(g_mutex);
  std::cerr << "warning: " << message << "\n";
}

void log_verbose(const std::string& message) {
  if (g_level < static_cast<int>(LogLevel::verbose)) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  std::cerr << message << "\n";
}

}  // namespace osgan
