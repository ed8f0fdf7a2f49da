// GanTrainer: trains one GAN (any osgan::Gan) on the images of one class, or on one image, and keeps a run
// folder that can always be resumed:
//   RUN/config.yaml                  resolved options
//   RUN/checkpoints/latest.pt        and step_XXXXXX.pt (see checkpoint.h)
//   RUN/samples/step_XXXXXX.png      real (left) | generated (right)
//   RUN/losses.csv                   one row per step (rewritten before each checkpoint)
//   RUN/quality.csv                  sample quality every quality_every steps (gan_quality.h), written with losses.csv
//   RUN/summary.json                 steps, seconds, final losses
// Usage:
//   auto options = preset_options("cpu");
//   options.data_dir = "data"; options.class_name = "tumor"; options.out_dir = "runs/tumor";
//   GanTrainSummary summary = train_gan(options);
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "osgan/train/batch_sampler.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/gan.h"
#include "osgan/train/gan_train_options.h"
#include "osgan/train/gan_quality.h"
#include "osgan/train/loss_log.h"

namespace osgan {

struct GanTrainSummary {
  std::int64_t start_step = 0;  // > 0 when resumed
  std::int64_t steps = 0;       // the step reached
  double seconds = 0;           // this session's training time
  std::map<std::string, double> final_losses;  // mean over the last (up to) 100 steps of this session
  std::filesystem::path last_checkpoint;
  std::filesystem::path last_samples;
};

// The class names of --class: one, or several joined by commas ("tumor,normal"), whose training images are pooled
// (an anatomy stage that per-class runs then fine-tune with init_from). Repeats are dropped; an empty name throws.
std::vector<std::string> pooled_classes(const std::string& class_list);

// The training images of `options`: the class's training side (or all of the class without a split), or the
// one image. Returns (N, 1, S, S) in [-1, 1] on the CPU. Throws osgan::Error naming what is missing.
torch::Tensor load_training_images(const GanTrainOptions& options);

class GanTrainer {
 public:
  // images: (N, 1, S, S) in [-1, 1], S = options.gan.image_size. Validates the options.
  GanTrainer(GanTrainOptions options, torch::Tensor images);

  // Trains from step 0, or from RUN/checkpoints/latest.pt with options.resume, up to options.steps. With
  // options.resume and no checkpoint yet, a folder whose config.yaml matches starts again from step 0, and so does
  // a folder that holds nothing of a run (absent, or only the empty checkpoints/ and samples/ folders and the
  // temporaries a run killed before writing its config.yaml leaves); a folder holding anything else is refused.
  // On SIGINT/SIGTERM: saves a checkpoint, then throws osgan::Error(interrupted). On a NaN/Inf loss or gradient
  // (caught before the optimizer step): rolls back to the last good checkpoint (or the initial weights), halves
  // lr_g and lr_d, and goes on; the fault after options.max_rollbacks rollbacks throws osgan::Error(numerical) naming
  // the loss, the step and the last good checkpoint. Every file of the run folder is written atomically.
  GanTrainSummary run();

  // Called after every step with its losses (tests use it to interrupt a run at a chosen step).
  std::function<void(std::int64_t step, const StepLosses& losses)> on_step;

 private:
  std::filesystem::path checkpoint_path(std::int64_t step) const;
  // --resume without a checkpoint: starts from step 0 when RUN/config.yaml matches the options or the folder holds
  // nothing of a run, else throws.
  void start_over_unless_another_run();
  // --resume without --init-from continues a fine-tuning run as it was started (the source is recorded in its config).
  void inherit_init_from(const GanTrainOptions& started);
  // The weights of step 0: seeded fresh ones, then those of options.init_from (fine-tuning) when asked.
  void build_initial_gan(bool load_init_from);
  void save(std::int64_t step);
  void write_samples(std::int64_t step, const torch::Tensor& grid_noise, GanTrainSummary& summary);
  void prune_checkpoints();
  void apply_learning_rates();  // the configured rates times recovery_.lr_scale
  // Restores the last good state after a numeric `fault` at `step`; returns the step restored.
  std::int64_t roll_back(std::int64_t step, const std::string& fault);

  GanTrainOptions options_;
  torch::Tensor images_;  // (N, 1, S, S) on device_
  torch::Tensor image_modes_;  // (N,) int64 on the CPU, each image's mode; undefined unless the GAN is conditioned
  BatchSampler batches_{1};    // which images each step's batch holds (uniform, or balanced across modes); set by the constructor
  torch::Device device_;
  std::filesystem::path run_;
  std::unique_ptr<Gan> gan_;
  std::filesystem::path last_checkpoint_;
  std::vector<std::int64_t> snapshot_steps_;  // ascending; always checkpointed, never pruned
  RecoveryState recovery_;
  LossLog loss_log_;
  LossLog quality_log_;  // same row format as the loss log: step, then named values
  std::unique_ptr<GanQualityProbe> quality_probe_;  // when options_.quality_every > 0
};

// load_training_images + GanTrainer::run.
GanTrainSummary train_gan(const GanTrainOptions& options);

}  // namespace osgan
