// The One-Shot GAN (Sushko, Gall, Khoreva, "One-Shot GAN: Learning to Generate Samples from Single Images and
// Videos", CVPRW 2021; spec 1.2-1.8) behind osgan's Gan interface: G and D, Adam for both, EMA generator,
// differentiable and feature augmentation. Images are (N, C, S, S) in [-1, 1]; all randomness comes from
// LibTorch's default CPU generator (moved to the device), so torch::manual_seed makes a run reproducible.
#pragma once
#include <memory>

#include <torch/torch.h>

#include "osgan/models/one_shot_gan/architecture.h"
#include "osgan/models/one_shot_gan/augmentation.h"
#include "osgan/models/one_shot_gan/discriminator.h"
#include "osgan/models/one_shot_gan/feature_augmentation.h"
#include "osgan/models/one_shot_gan/generator.h"
#include "osgan/losses/adversarial.h"
#include "osgan/train/gan.h"

namespace osgan {

namespace one_shot {
// Every random choice of one train step apart from the G and D noise: DA for the G-step fakes, the D-step reals and
// fakes, FA of the D-step reals, and the coverage term's pool of noise (undefined when lambda_coverage is 0).
struct StepRandomness {
  AugmentParams g_fake, d_real, d_fake;
  FeatureAugmentParams fa;
  torch::Tensor z_coverage;  // (coverage_pool, noise_dim, 1, 1)
};
}  // namespace one_shot

// Usage:
//   GanConfig config;  config.image_size = 128;
//   auto gan = make_one_shot_gan(config, torch::kCPU);
//   for (...) StepLosses losses = gan->train_step(real);   // real (N, 1, 128, 128), N >= 2
//   auto images = gan->generate(gan->sample_noise(16));    // (16, 1, 128, 128), EMA generator
// Loss names: g_total = g_content + g_layout + g_low_level + g_dr (g_dr = lambda_DR * L_DR <= 0) [+ g_coverage, only
// when lambda_coverage > 0];
// d_total = d_real + d_fake, each = *_content + *_layout + *_low_level (all already branch-weighted).
class OneShotGan : public Gan {
 public:
  OneShotGan(const GanConfig& config, const torch::Device& device, int image_channels = 1);

  const GanConfig& config() const override { return config_; }
  StepLosses train_step(const torch::Tensor& real) override;
  StepLosses train_step_in_modes(const torch::Tensor& real, const torch::Tensor& modes) override;
  // generate() runs the generator (EMA-G by default) in eval mode, unlike the published code, which keeps it in
  // training mode (spec 1.12 quirk 6): spectral norm then runs one power iteration on copies of u, v and writes
  // nothing back, so the images are a pure function of the weights and z. The module's mode is restored after.
  torch::Tensor generate(const torch::Tensor& z, bool use_ema = true) override;
  ScriptedGenerator script_generator(bool use_ema = true) override;
  torch::Tensor sample_noise(int n) override;
  void save(torch::serialize::OutputArchive& archive) const override;
  void load(torch::serialize::InputArchive& archive) override;
  void set_learning_rates(double lr_g, double lr_d) override;
  void to(const torch::Device& device) override;
  std::int64_t parameter_count() const override;  // G + D trainable parameters (not the EMA copy)

  // Test seam: one step with the noise and augmentation given instead of drawn. train_step draws them and calls it.
  // modes (N,): the real images' modes for a mode-conditioned GAN (z_g, z_d already around those modes' means),
  // undefined otherwise.
  StepLosses train_step_with(const torch::Tensor& real, const torch::Tensor& z_g, const torch::Tensor& z_d,
                             const one_shot::StepRandomness& randomness, const torch::Tensor& modes = {});
  one_shot::StepRandomness sample_step_randomness(int64_t n) const;

  const one_shot::Architecture& architecture() const { return arch_; }
  one_shot::Generator& generator() { return g_; }
  one_shot::Discriminator& discriminator() { return d_; }
  one_shot::Generator& ema_generator() { return g_ema_; }  // null when use_ema is false
  torch::optim::Adam& g_optimizer() { return *g_optimizer_; }
  torch::optim::Adam& d_optimizer() { return *d_optimizer_; }

 private:
  std::vector<torch::Tensor> finest_scales(const std::vector<torch::Tensor>& images) const;
  // For each real image (N, C, S, S), the pool noise (P, noise_dim, 1, 1) whose fake is nearest: (N, noise_dim, 1, 1).
  torch::Tensor nearest_pool_noise(const torch::Tensor& real, const torch::Tensor& z_pool);

  GanConfig config_;
  one_shot::Architecture arch_;
  torch::Device device_;
  losses::AdversarialMode mode_;
  one_shot::Generator g_{nullptr}, g_ema_{nullptr};
  one_shot::Discriminator d_{nullptr};
  std::unique_ptr<torch::optim::Adam> g_optimizer_, d_optimizer_;
  std::int64_t ema_updates_ = 0;  // for the EMA warm-up; saved in checkpoints
};

// The factory the trainer's make_gan calls for config.arch == "one-shot".
std::unique_ptr<Gan> make_one_shot_gan(const GanConfig& config, const torch::Device& device);

}  // namespace osgan
