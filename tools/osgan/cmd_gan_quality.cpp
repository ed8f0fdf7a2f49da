// osgan gan-quality: scores every kept checkpoint of a train-gan run (a learning curve after the fact).
#include <iostream>

#include "commands.h"
#include "common_options.h"
#include "osgan/train/gan_quality.h"

namespace osgan::cli {
namespace {

void register_gan_quality(CLI::App& app) {
  auto options = std::make_shared<CheckpointQualityOptions>();
  auto compute = std::make_shared<ComputeOptions>();
  auto* cmd = app.add_subcommand("gan-quality",
                                 "score every kept checkpoint of a train-gan run against its training images");
  cmd->add_option("--run", options->run_dir, "train-gan run folder (config.yaml, checkpoints/step_*.pt)")->required();
  cmd->add_option("--out", options->out_file, "CSV to write (default RUN/checkpoint_quality.csv)");
  cmd->add_option("--count", options->count, "generated images per checkpoint")->capture_default_str();
  add_compute_options(cmd, *compute);
  cmd->callback([options, compute] {
    apply_compute_options(*compute);
    options->seed = compute->seed;
    options->device = compute->device;
    const int rows = score_checkpoints(*options);
    std::cout << rows << " checkpoints scored\n";
  });
}

}  // namespace

OSGAN_COMMAND(32, register_gan_quality);

}  // namespace osgan::cli
