// The quality of a GAN's samples at one moment, for learning curves: a fixed batch of noise (drawn from its own
// generator, so scoring never moves the training's random stream) goes through the EMA generator and the raw one,
// and each batch is scored against the class's training images (metrics/sample_quality.h). One row per step in
// RUN/quality.csv (train-gan --quality-every N), or per kept checkpoint (osgan gan-quality).
#pragma once
#include <cstdint>
#include <filesystem>

#include "osgan/metrics/sample_quality.h"
#include "osgan/train/gan.h"

namespace osgan {

class GanQualityProbe {
 public:
  // real: the training images (M, 1, S, S) in [-1, 1], M >= 4. count: generated images per score (>= 4).
  GanQualityProbe(const torch::Tensor& real, int count, int noise_dim, std::uint64_t seed);

  // {"kid_ema", "precision_ema", "recall_ema", "histogram_w1_ema"} and the same with "_raw" (raw only when the GAN
  // has no EMA generator). Generation runs in eval mode (Gan::generate), so scoring does not change the model.
  StepLosses score(Gan& gan) const;

 private:
  metrics::SampleQualityReference reference_;
  torch::Tensor noise_;  // (count, noise_dim, 1, 1) on the CPU
};

struct CheckpointQualityOptions {
  std::filesystem::path run_dir;  // a train-gan run folder: config.yaml and checkpoints/step_*.pt
  std::filesystem::path out_file; // empty = RUN/checkpoint_quality.csv
  int count = 64;
  std::uint64_t seed = 1;
  std::string device = "auto";
};

// Scores every kept checkpoint of a run (step order) against the run's training images, as train-gan
// --quality-every would have; returns the rows written. Throws osgan::Error naming a missing or bad file.
int score_checkpoints(const CheckpointQualityOptions& options);

}  // namespace osgan
