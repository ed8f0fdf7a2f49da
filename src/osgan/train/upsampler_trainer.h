// Training the cascade's upsampler (models/cascade/upsampler.h) on the images a GAN run learned from: each
// training slice at the GAN's size (as the GAN saw it) is the input, the same slice preprocessed at the target size
// the answer. A tenth of those slices (at least one) is held back from the upsampler's training and scores it
// against a plain bilinear enlargement; the classes' held-out side of split.json is never read.
//
//   RUN/config.json              the resolved options (what a resume must match)
//   RUN/checkpoints/latest.pt    model, optimizers, step, random state (format osgan-upsampler-checkpoint v1)
//   RUN/samples/step_XXXXXX.png  held-back slices, two a row: GAN-size input enlarged bilinearly | upsampled | real
//   RUN/losses.csv               step, l1, (d_loss, g_adversarial with an adversarial weight)
//   RUN/summary.json             steps, seconds, the held-back slices' L1 and PSNR: bilinear against upsampler
//
// Usage: UpsamplerTrainOptions o; o.gan_run = "runs/x/gan/tumor"; o.out_dir = "runs/x/upsampler/tumor";
//        train_upsampler(o);  then  GenerateOptions::upsampler = o.out_dir.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osgan/models/cascade/patch_discriminator.h"
#include "osgan/models/cascade/upsampler.h"
#include "osgan/train/gan.h"

namespace osgan {

constexpr const char* kUpsamplerCheckpointFormat = "osgan-upsampler-checkpoint";
constexpr std::int64_t kUpsamplerCheckpointVersion = 1;

struct UpsamplerTrainOptions {
  std::filesystem::path gan_run;  // a train-gan run folder: its config.yaml names the data, class, split and size
  // Learn from the GAN's whole class training side even when that run kept only some of it (its `samples`: one
  // mode of the class, as the pipeline's gan.per_mode trains).
  bool whole_class = false;
  int size = 128;                 // output size: the GAN's size times a power of two
  int base_channels = 64;         // at the GAN's size; halved at each x2 stage (at least 8)
  int residual_blocks = 4;
  int steps = 4000;
  int batch_size = 16;
  int crop = 64;              // output-size crop each training image is cut to (0 = whole images); a multiple of the factor
  double lr = 2e-4;           // Adam, betas (0.9, 0.999), for the upsampler and the patch discriminator
  double adversarial_weight = 0;  // weight of the patch discriminator's hinge loss beside L1 (0 = L1 only, no D)
  double input_noise = 0.02;  // std of Gaussian noise on the input: a GAN's image is never exactly a shrunk slice
  int checkpoint_every = 250;
  std::filesystem::path out_dir;
  std::string device = "auto";
  std::uint64_t seed = 1;
  bool resume = false;
  bool quiet = false;
};

// Throws osgan::Error (invalid_argument) naming the option that is out of range: validate_settings checks the
// numbers only (what a pipeline checks before it has the paths), validate the paths too.
void validate_settings(const UpsamplerTrainOptions& options);
void validate(const UpsamplerTrainOptions& options);

// The options that decide the trained network (what a resume must match; steps and checkpoint_every may change).
nlohmann::json upsampler_fingerprint(const UpsamplerTrainOptions& options);

// The network that options describe for a GAN of `from_size` px; throws when size / from_size is not a power of two.
cascade::UpsamplerConfig upsampler_config(const UpsamplerTrainOptions& options, int from_size);

struct UpsamplerScore {
  double l1_bilinear = 0, l1_upsampler = 0;      // mean |output - real| in [-1, 1] units
  double psnr_bilinear = 0, psnr_upsampler = 0;  // dB, peak-to-peak 2
};

struct UpsamplerTrainSummary {
  std::int64_t start_step = 0, steps = 0;
  double seconds = 0;
  int training_images = 0, held_back_images = 0;
  UpsamplerScore held_back;  // on the held-back slices, after the last step
};

// Trains from step 0, or from RUN/checkpoints/latest.pt with options.resume (the options must match the saved
// ones, steps excepted). A folder holding another run, without --resume, is refused. SIGINT/SIGTERM: checkpoint,
// then osgan::Error(interrupted).
UpsamplerTrainSummary train_upsampler(const UpsamplerTrainOptions& options);

// One optimisation step on a batch (what train_upsampler repeats on random crops): L1, plus with a discriminator
// (d and d_optimizer not null) its hinge step on real against upsampled, and weight x its generator loss.
// low: (N, 1, s, s), high: (N, 1, f s, f s), both in [-1, 1]. Returns l1, and d_loss and g_adversarial with D.
StepLosses upsampler_step(cascade::Upsampler& model, torch::optim::Adam& optimizer, const torch::Tensor& low,
                          const torch::Tensor& high, cascade::PatchDiscriminator* discriminator = nullptr,
                          torch::optim::Adam* d_optimizer = nullptr, double adversarial_weight = 0);

// L1 and PSNR of the upsampler and of bilinear enlargement against `high`, over every image of `low`.
UpsamplerScore score_upsampler(cascade::Upsampler& model, const torch::Tensor& low, const torch::Tensor& high);

struct LoadedUpsampler {
  cascade::Upsampler model{nullptr};  // in eval mode, on the device it was loaded to
  int from_size = 0, size = 0;
  std::int64_t step = 0;
  std::string sha256;  // of the checkpoint file
  std::filesystem::path path;
};

// A checkpoint file, or a train-upsampler run folder (its checkpoints/latest.pt). Throws osgan::Error naming the
// file when it is missing, not an upsampler checkpoint, or of another version.
LoadedUpsampler load_upsampler(const std::filesystem::path& file_or_run, const torch::Device& device);

}  // namespace osgan
