// The interface every GAN in osgan implements (One-Shot GAN, and the BrainGAN baselines DCGAN and vanilla GAN),
// so one trainer, one checkpoint format and one `generate` serve all three.
#pragma once
#include <map>
#include <memory>
#include <string>

#include <torch/torch.h>

#include "osgan/models/gan_config.h"
#include "osgan/models/scripted_generator.h"

namespace osgan {

// The loss terms of one training step, by name ("g_total", "d_total", "g_dr", "d_real", "d_fake", ...).
using StepLosses = std::map<std::string, double>;

class Gan {
 public:
  virtual ~Gan() = default;
  virtual const GanConfig& config() const = 0;

  // One iteration of the architecture's algorithm (One-Shot GAN: a G step, then a D step; EMA update after).
  // real: (N, 1, H, W) in [-1, 1] on the model's device. All randomness comes from LibTorch's default generator.
  // Throws osgan::Error(numerical) before an optimizer step whose losses or gradients are not finite
  // (finite_check.h); the model is then left half-stepped and must be restored from a checkpoint.
  virtual StepLosses train_step(const torch::Tensor& real) = 0;

  // The step of a mode-conditioned GAN (config().modes > 0): modes (N,) int64, each real image's mode; the step's
  // fakes are drawn in the same modes, so they follow the training side's shares. Only the One-Shot GAN has it.
  virtual StepLosses train_step_in_modes(const torch::Tensor& real, const torch::Tensor& modes);

  // Final generator images for noise z (N, noise_dim, 1, 1): (N, 1, H, W) in [-1, 1], no grad.
  // Uses the EMA generator when it exists and use_ema is true.
  virtual torch::Tensor generate(const torch::Tensor& z, bool use_ema = true) = 0;

  // The generator that generate() uses (EMA or raw), as TorchScript source and constant weights, for export.
  virtual ScriptedGenerator script_generator(bool use_ema = true) = 0;

  // Noise for `n` samples from LibTorch's default generator: (n, noise_dim, 1, 1) on the model's device. A
  // mode-conditioned GAN's noise lies around its modes' means (mode_condition.h), the modes drawn in their shares.
  virtual torch::Tensor sample_noise(int n) = 0;

  // Every module, EMA copy and optimizer state, under stable names (checkpoint keys).
  virtual void save(torch::serialize::OutputArchive& archive) const = 0;
  virtual void load(torch::serialize::InputArchive& archive) = 0;

  // Learning rates of the G and D optimizers from now on (the trainer lowers them after a numeric fault).
  virtual void set_learning_rates(double lr_g, double lr_d) = 0;

  virtual void to(const torch::Device& device) = 0;
  virtual std::int64_t parameter_count() const = 0;
};

// Builds the GAN named by config.arch; throws osgan::Error for an unknown architecture.
std::unique_ptr<Gan> make_gan(const GanConfig& config, const torch::Device& device);

}  // namespace osgan
