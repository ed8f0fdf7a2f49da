// Flags shared by the subcommands that compute: --device, --threads, --seed, --quiet.
#pragma once
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace osgan::cli {

struct ComputeOptions {
  std::string device = "auto";
  int threads = 0;  // 0 = all cores
  std::uint64_t seed = 1;
  bool quiet = false;
};

void add_compute_options(CLI::App* cmd, ComputeOptions& options);

// Applies --threads and --quiet; returns the thread count in effect.
int apply_compute_options(const ComputeOptions& options);

}  // namespace osgan::cli
