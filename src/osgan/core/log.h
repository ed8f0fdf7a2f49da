// Minimal leveled logging to stderr. Library code reports progress through this, never through std::cout,
// so that stdout stays free for a command's result.
#pragma once
#include <string>

namespace osgan {

enum class LogLevel { quiet = 0, info = 1, verbose = 2 };

void set_log_level(LogLevel level);
LogLevel log_level();
void log_info(const std::string& message);
void log_warning(const std::string& message);
void log_verbose(const std::string& message);

}  // namespace osgan
