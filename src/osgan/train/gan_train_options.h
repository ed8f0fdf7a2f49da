// Everything that decides a GAN training run, with the library's defaults. The CLI only binds flags to these
// fields; a preset (presets.h) fills them first, then a YAML config file, then explicit flags. The resolved
// options are saved as RUN/config.yaml and inside every checkpoint.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "osgan/data/dataset.h"
#include "osgan/train/gan.h"

namespace YAML {
class Node;
}

namespace osgan {

struct GanTrainOptions {
  // Data: the training side of one class of a dataset, or one image file (true one-shot).
  std::string data_dir;    // folder with one subfolder per class, or a CSV (see data::load_dataset)
  std::string class_name;  // which class to learn
  std::string split_file;  // split.json; empty = every sample of the class (no held-out side)
  // Sample ids (as in split.json) to learn from, out of the class's training side; empty = all of it. How the
  // pipeline trains one GAN per mode of a class (data/mode_model.h). An id that is not a training image of the
  // class is an error, never silently dropped.
  std::vector<std::string> samples;
  // One mode per listed sample (0 .. K-1, each used), for a GAN conditioned on the modes of its training side
  // (GanConfig::modes; the pipeline's gan.mode_condition fits them). Empty = unconditioned. derive_mode_condition
  // sets gan.modes and gan.mode_shares from it.
  std::vector<int> sample_modes;
  // false: sample_modes only steer how batches are drawn (mode_balance); G and D are not conditioned.
  bool condition_on_modes = true;
  // How batches draw the modes of sample_modes: mode k with probability proportional to n_k^(1 - mode_balance).
  // 0 = every slice equally often (the published sampling), 1 = every mode equally often (train/mode_balance.h).
  double mode_balance = 0;
  std::string image_file;  // instead of data_dir + class_name: learn from this one image
  data::PreprocessOptions preprocess;  // preprocess.size is always gan.image_size

  std::string out_dir;  // the run folder RUN
  std::string preset = "cpu";
  GanConfig gan;

  int steps = 3000;
  int batch_size = 8;
  int checkpoint_every = 500;  // steps; the last step is always checkpointed
  int sample_every = 250;      // steps; a grid of real vs generated images
  int keep_checkpoints = 3;    // step_XXXXXX.pt files kept besides latest.pt (0 = keep all); snapshots are never pruned
  // Generator snapshots that generation draws from (a snapshot ensemble): 1 = the last step only; K > 1 = K
  // checkpoints evenly spread over the run, ending at its last step (snapshot_steps). A GAN on a few hundred mixed
  // slices drifts between modes as it trains; images drawn from several points of its trajectory cover more of them.
  int snapshots = 1;
  int grid_count = 16;         // generated images in each sample grid
  int quality_every = 0;       // steps between sample-quality scores in RUN/quality.csv (0 = off; gan_quality.h)
  int quality_count = 64;      // generated images per quality score
  double progress_seconds = 5; // at most one progress line per this many seconds
  int max_rollbacks = 3;       // numeric faults (NaN/Inf loss or gradient) recovered by rolling back to the last
                               // good checkpoint with halved learning rates; the next one stops the run

  std::string device = "auto";
  int threads = 0;
  std::uint64_t seed = 1;
  bool resume = false;
  bool quiet = false;

  // Fine-tuning: a checkpoint (or a run folder, meaning its latest.pt) of a GAN of the same architecture whose G, D,
  // EMA-G and optimizer states start this run at step 0, e.g. an anatomy stage trained on every class. Empty = a
  // fresh initialisation. Learning rates and every training setting come from this run's options.
  std::string init_from;
};

// Checks ranges and combinations; throws osgan::Error (invalid_argument) naming the option.
void validate(const GanTrainOptions& options);

// gan.modes and gan.mode_shares from sample_modes (K and each mode's share of the list; 0 and none when empty or
// when condition_on_modes is false).
// apply_yaml calls it; so must code that fills sample_modes itself.
void derive_mode_condition(GanTrainOptions& options);

// "step_000500": the stem of a step's checkpoint (RUN/checkpoints/step_000500.pt) and sample grid.
std::string step_name(std::int64_t step);

// The steps whose checkpoints are the run's snapshots, ascending: steps * (k + 1) / (snapshots + 1) for
// k = 1 .. snapshots, so the last is the final step and the spacing is steps / (snapshots + 1); the first spacing is
// left out, as the start of a fine-tune still draws what the run started from. snapshots 5 at 6,000 steps:
// 2,000, 3,000, 4,000, 5,000, 6,000.
std::vector<std::int64_t> snapshot_steps(const GanTrainOptions& options);

// RUN/checkpoints/step_XXXXXX.pt of each snapshot step: what `osgan generate` and the pipeline draw from.
std::vector<std::filesystem::path> snapshot_checkpoints(const GanTrainOptions& options);

// The resolved options as YAML (every key that apply_yaml accepts), and back. apply_yaml rejects unknown keys
// and values of the wrong type with an osgan::Error that names `source` (the file) and the key.
std::string to_yaml(const GanTrainOptions& options);
void apply_yaml(const YAML::Node& node, GanTrainOptions& options, const std::string& source);
void apply_config_file(const std::filesystem::path& path, GanTrainOptions& options);
GanTrainOptions options_from_yaml_text(const std::string& yaml, const std::string& source);

// Keys whose values must match when resuming (model, data and batch); the names that differ between a and b.
std::vector<std::string> resume_mismatches(const GanTrainOptions& a, const GanTrainOptions& b);

// Keys that shape the networks (architecture, sizes, EMA or not): what must match for init_from to load weights.
std::vector<std::string> architecture_mismatches(const GanTrainOptions& a, const GanTrainOptions& b);

}  // namespace osgan
