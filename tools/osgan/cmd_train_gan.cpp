// osgan train-gan: binds flags to GanTrainOptions (preset, then --config file, then explicit flags) and trains.
#include <iostream>

#include "commands.h"
#include "common_options.h"
#include "osgan/train/gan_trainer.h"
#include "osgan/train/presets.h"

namespace osgan::cli {
namespace {

struct TrainGanFlags {
  GanTrainOptions values;  // flag targets; copied into the resolved options only when given
  std::string preset = "cpu", config;
  ComputeOptions compute;
};

void register_train_gan(CLI::App& app) {
  auto flags = std::make_shared<TrainGanFlags>();
  auto& v = flags->values;
  auto* cmd = app.add_subcommand("train-gan", "train a GAN on one class (training side of a split) or one image");
  cmd->add_option("--data", v.data_dir, "dataset folder (one subfolder per class) or CSV");
  cmd->add_option("--class", v.class_name, "the class to learn");
  cmd->add_option("--split", v.split_file, "split.json from osgan split (default: all images of the class)");
  cmd->add_option("--image", v.image_file, "learn from this single image instead of --data/--class");
  cmd->add_option("--out", v.out_dir, "run folder (checkpoints, samples, losses.csv, summary.json)")->required();
  cmd->add_option("--preset", flags->preset,
                  "cpu (brain slices on a 2-core CPU), paper (the seed's schedule, for a GPU) or smoke (runs; textures)")
      ->capture_default_str();
  cmd->add_option("--config", flags->config, "YAML file of option: value (keys as in RUN/config.yaml)");
  cmd->add_option("--arch", v.gan.arch, "one-shot, dcgan or vanilla");
  cmd->add_option("--steps", v.steps, "training steps (iterations)");
  cmd->add_option("--batch", v.batch_size, "batch size");
  cmd->add_option("--image-size", v.gan.image_size, "square image size the GAN learns");
  cmd->add_option("--checkpoint-every", v.checkpoint_every, "steps between checkpoints");
  cmd->add_option("--sample-every", v.sample_every, "steps between sample grids");
  cmd->add_option("--quality-every", v.quality_every,
                  "steps between sample-quality scores (KID, precision/recall, histogram W1) in RUN/quality.csv; 0 = off");
  cmd->add_option("--max-rollbacks", v.max_rollbacks,
                  "NaN/Inf faults survived by rolling back to the last checkpoint with halved learning rates (default 3)");
  cmd->add_flag("--resume", v.resume,
                "continue the run in --out from RUN/checkpoints/latest.pt; a run that saved no checkpoint yet starts again");
  cmd->add_option("--init-from", v.init_from,
                  "fine-tune: start from this checkpoint's (or run folder's) G, D, EMA-G and optimizer states, e.g. a "
                  "GAN trained on every class; same architecture needed");
  add_compute_options(cmd, flags->compute);
  cmd->callback([cmd, flags] {
    apply_compute_options(flags->compute);
    auto options = preset_options(flags->preset);
    if (!flags->config.empty()) apply_config_file(flags->config, options);
    const auto& v = flags->values;
    const auto given = [cmd](const char* name) { return cmd->count(name) > 0; };
    if (given("--data")) options.data_dir = v.data_dir;
    if (given("--class")) options.class_name = v.class_name;
    if (given("--split")) options.split_file = v.split_file;
    if (given("--image")) options.image_file = v.image_file;
    if (given("--arch")) options.gan.arch = v.gan.arch;
    if (given("--steps")) options.steps = v.steps;
    if (given("--batch")) options.batch_size = v.batch_size;
    if (given("--image-size")) options.gan.image_size = options.preprocess.size = v.gan.image_size;
    if (given("--checkpoint-every")) options.checkpoint_every = v.checkpoint_every;
    if (given("--sample-every")) options.sample_every = v.sample_every;
    if (given("--quality-every")) options.quality_every = v.quality_every;
    if (given("--max-rollbacks")) options.max_rollbacks = v.max_rollbacks;
    if (given("--init-from")) options.init_from = v.init_from;
    if (given("--device")) options.device = flags->compute.device;
    if (given("--threads")) options.threads = flags->compute.threads;
    if (given("--seed")) options.seed = flags->compute.seed;
    options.out_dir = v.out_dir;
    options.resume = v.resume;
    options.quiet = flags->compute.quiet;
    const auto summary = train_gan(options);
    std::cout << summary.last_checkpoint.string() << "\n";
  });
}

}  // namespace

OSGAN_COMMAND(30, register_train_gan);

}  // namespace osgan::cli
