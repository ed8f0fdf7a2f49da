// The training algorithm shared by the BrainGAN baselines (DCGAN, vanilla GAN): the original GAN game with the
// non-saturating generator loss (Goodfellow et al. 2014), binary cross-entropy on logits, Adam
// (lr 2e-4, betas 0.5, 0.999: Radford et al. 2016), one D step then one G step per iteration, and an optional
// EMA generator for sampling. G and D are any LibTorch module holders constructible from a GanConfig.
#pragma once
#include <memory>
#include <string>

#include <torch/torch.h>

#include "osgan/core/error.h"
#include "osgan/train/ema.h"
#include "osgan/train/finite_check.h"
#include "osgan/train/gan.h"

namespace osgan {

// N = batch, Z = noise_dim, S = image_size.
template <class Generator, class Discriminator>
class BceGan final : public Gan {
 public:
  BceGan(const GanConfig& config, const torch::Device& device)
      : config_(config), device_(device), g_(config), d_(config), g_ema_(config) {
    g_->to(device_);
    d_->to(device_);
    g_ema_->to(device_);
    copy_module_state(*g_ema_, *g_);
    g_ema_->eval();  // only ever used for sampling
    const auto adam = [&](double lr) {
      return torch::optim::AdamOptions(lr).betas(std::make_tuple(config_.beta1, config_.beta2));
    };
    g_optimizer_ = std::make_unique<torch::optim::Adam>(g_->parameters(), adam(config_.lr_g));
    d_optimizer_ = std::make_unique<torch::optim::Adam>(d_->parameters(), adam(config_.lr_d));
  }

  const GanConfig& config() const override { return config_; }

  StepLosses train_step(const torch::Tensor& real) override {
    const auto n = real.size(0);  // real: (N, 1, S, S) in [-1, 1]
    const auto bce = [](const torch::Tensor& logits, float target) {
      return torch::binary_cross_entropy_with_logits(logits, torch::full_like(logits, target));
    };

    // D step on real, and on fake (detached from G): maximise log D(x) + log(1 - D(G(z))).
    d_optimizer_->zero_grad();
    torch::Tensor fake;
    {
      torch::NoGradGuard no_grad;
      fake = g_->forward(sample_noise(static_cast<int>(n)));  // (N, 1, S, S)
    }
    const auto d_real = bce(d_->forward(real), 1.f);
    const auto d_fake = bce(d_->forward(fake), 0.f);
    const auto d_total = d_real + d_fake;
    d_total.backward();
    check_finite_before_step("D", {{"d_real", d_real}, {"d_fake", d_fake}}, d_->parameters());
    d_optimizer_->step();

    // G step, non-saturating: maximise log D(G(z')) with new noise.
    g_optimizer_->zero_grad();
    const auto g_total = bce(d_->forward(g_->forward(sample_noise(static_cast<int>(n)))), 1.f);
    g_total.backward();
    check_finite_before_step("G", {{"g_total", g_total}}, g_->parameters());
    g_optimizer_->step();

    if (config_.use_ema)
      update_ema(*g_ema_, *g_, config_.ema_warmup ? ema_decay_at(config_.ema_decay, step_) : config_.ema_decay);
    ++step_;
    return {{"d_real", d_real.template item<double>()}, {"d_fake", d_fake.template item<double>()},
            {"d_total", d_total.template item<double>()}, {"g_total", g_total.template item<double>()}};
  }

  torch::Tensor generate(const torch::Tensor& z, bool use_ema = true) override {
    // Eval mode: BatchNorm uses its running statistics, so an image does not depend on the rest of its batch.
    auto& g = (use_ema && config_.use_ema) ? g_ema_ : g_;
    const bool was_training = g->is_training();
    g->eval();
    torch::NoGradGuard no_grad;
    auto images = g->forward(z.to(device_));  // (N, 1, S, S)
    g->train(was_training);
    return images;
  }

  ScriptedGenerator script_generator(bool use_ema = true) override {
    auto& g = (use_ema && config_.use_ema) ? g_ema_ : g_;
    return g->script();
  }

  torch::Tensor sample_noise(int n) override {
    return torch::randn({n, config_.noise_dim, 1, 1}, torch::TensorOptions().device(device_));  // (n, Z, 1, 1)
  }

  void save(torch::serialize::OutputArchive& archive) const override {
    const auto write = [&](const std::string& key, const auto& saveable) {
      torch::serialize::OutputArchive sub;
      saveable.save(sub);
      archive.write(key, sub);
    };
    write("g", *g_);
    write("d", *d_);
    write("g_ema", *g_ema_);
    write("g_optimizer", *g_optimizer_);
    write("d_optimizer", *d_optimizer_);
    archive.write("arch", c10::IValue(config_.arch));
    archive.write("step", c10::IValue(step_));
  }

  void load(torch::serialize::InputArchive& archive) override {
    c10::IValue arch;
    archive.read("arch", arch);
    if (arch.toStringRef() != config_.arch)
      fail(ErrorCode::bad_format, "checkpoint holds a \"" + arch.toStringRef() + "\" GAN, expected \"" +
           config_.arch + "\"");
    const auto read = [&](const std::string& key, auto& loadable) {
      torch::serialize::InputArchive sub;
      archive.read(key, sub);
      loadable.load(sub);
    };
    read("g", *g_);
    read("d", *d_);
    read("g_ema", *g_ema_);
    read("g_optimizer", *g_optimizer_);
    read("d_optimizer", *d_optimizer_);
    c10::IValue step;
    archive.read("step", step);
    step_ = step.toInt();
  }

  void set_learning_rates(double lr_g, double lr_d) override {
    set_learning_rate(*g_optimizer_, lr_g);
    set_learning_rate(*d_optimizer_, lr_d);
  }

  void to(const torch::Device& device) override {
    // Moves the modules; Adam's state is created lazily on the parameters' device, so call this before training.
    device_ = device;
    g_->to(device);
    d_->to(device);
    g_ema_->to(device);
  }

  std::int64_t parameter_count() const override {
    std::int64_t count = 0;
    for (const auto& p : g_->parameters()) count += p.numel();
    for (const auto& p : d_->parameters()) count += p.numel();
    return count;
  }

 private:
  GanConfig config_;
  torch::Device device_;
  Generator g_;
  Discriminator d_;
  Generator g_ema_;
  std::unique_ptr<torch::optim::Adam> g_optimizer_, d_optimizer_;
  std::int64_t step_ = 0;
};

}  // namespace osgan
