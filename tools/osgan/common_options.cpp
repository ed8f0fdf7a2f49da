#include "common_options.h"

#include "osgan/core/log.h"
#include "osgan/runtime/device.h"

namespace osgan::cli {

void add_compute_options(CLI::App* cmd, ComputeOptions& options) {
  cmd->add_option("--device", options.device, "auto, cpu, cuda or cuda:N")->capture_default_str();
  cmd->add_option("--threads", options.threads, "CPU threads for LibTorch (0 = all cores)")->capture_default_str();
  cmd->add_option("--seed", options.seed, "random seed (same seed, same device: same result)")->capture_default_str();
  cmd->add_flag("-q,--quiet", options.quiet, "print only warnings and errors");
}

int apply_compute_options(const ComputeOptions& options) {
  if (options.quiet) set_log_level(LogLevel::quiet);
  return set_thread_count(options.threads);
}

}  // namespace osgan::cli
