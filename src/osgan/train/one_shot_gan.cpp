// The One-Shot GAN training step (spec 1.8): a G step on new noise, then a D step on real and new fake images,
// then the EMA update. train_step_with reads like the paper's algorithm; helpers keep the phases short.
#include "osgan/train/one_shot_gan.h"

#include <cmath>
#include <sstream>

#include "osgan/core/error.h"
#include "osgan/losses/coverage.h"
#include "osgan/losses/diversity.h"
#include "osgan/models/one_shot_gan/init.h"
#include "osgan/train/ema.h"
#include "osgan/train/finite_check.h"
#include "osgan/train/mode_condition.h"

namespace osgan {
namespace {
using one_shot::apply_augment;
using one_shot::apply_augment_multiscale;

void set_requires_grad(torch::nn::Module& module, bool on) {
  for (auto& p : module.parameters()) p.requires_grad_(on);
}

torch::optim::AdamOptions adam_options(double lr, const GanConfig& c) {
  return torch::optim::AdamOptions(lr).betas(std::make_tuple(c.beta1, c.beta2));
}

void record(StepLosses& out, const std::string& prefix, const losses::BranchLosses& b) {
  out[prefix + "_content"] = b.content.item<double>();
  out[prefix + "_layout"] = b.layout.item<double>();
  out[prefix + "_low_level"] = b.low_level.item<double>();
}

void move_adam_state(torch::optim::Adam& optimizer, const torch::Device& device) {
  for (auto& item : optimizer.state()) {
    auto& s = static_cast<torch::optim::AdamParamState&>(*item.second);
    s.exp_avg(s.exp_avg().to(device));
    s.exp_avg_sq(s.exp_avg_sq().to(device));
    if (s.max_exp_avg_sq().defined()) s.max_exp_avg_sq(s.max_exp_avg_sq().to(device));
  }
}
}  // namespace

OneShotGan::OneShotGan(const GanConfig& config, const torch::Device& device, int image_channels)
    : config_(config),
      arch_(one_shot::make_architecture(config, image_channels)),
      device_(device),
      mode_(losses::parse_adversarial_mode(config.loss)) {
  if (config.lambda_dr < 0 || config.prob_augment < 0 || config.prob_augment > 1 || config.prob_fa_content < 0 ||
      config.prob_fa_content > 1 || config.prob_fa_layout < 0 || config.prob_fa_layout > 1 || config.ema_decay < 0 ||
      config.ema_decay > 1 || config.lr_g <= 0 || config.lr_d <= 0 || config.lambda_coverage < 0 ||
      (config.lambda_coverage > 0 && config.coverage_pool < 1) || config.lambda_reconstruction < 0)
    fail(ErrorCode::invalid_argument, "One-Shot GAN: expected lambda_dr, lambda_coverage and lambda_reconstruction "
         ">= 0, probabilities and ema_decay in [0, 1], learning rates > 0, coverage_pool >= 1. Hint: check the GAN "
         "options in the config.");
  validate_mode_condition(config);
  g_ = one_shot::Generator(arch_);
  d_ = one_shot::Discriminator(arch_);
  const auto init = one_shot::parse_weight_init(config.init);
  one_shot::initialize_weights(*g_, init);
  one_shot::initialize_weights(*d_, init);
  if (config.use_ema) {
    g_ema_ = one_shot::Generator(std::dynamic_pointer_cast<one_shot::GeneratorImpl>(g_->clone()));
    set_requires_grad(*g_ema_, false);
  }
  to(device);
  g_optimizer_ = std::make_unique<torch::optim::Adam>(g_->parameters(), adam_options(config.lr_g, config));
  d_optimizer_ = std::make_unique<torch::optim::Adam>(d_->parameters(), adam_options(config.lr_d, config));
}

std::vector<torch::Tensor> OneShotGan::finest_scales(const std::vector<torch::Tensor>& images) const {
  // D's low-level extractor reads only the blocks_d_low finest G outputs; the coarser ones need no augmentation.
  return {images.end() - arch_.blocks_d_low, images.end()};
}

one_shot::StepRandomness OneShotGan::sample_step_randomness(int64_t n) const {
  one_shot::StepRandomness r;
  const int64_t s = arch_.image_size;
  r.g_fake = one_shot::sample_augment(n, s, s, config_.prob_augment);
  r.d_real = one_shot::sample_augment(n, s, s, config_.prob_augment);
  r.d_fake = one_shot::sample_augment(n, s, s, config_.prob_augment);
  r.fa = one_shot::sample_feature_augment(n, arch_.low_level_channels(), arch_.low_level_size(), arch_.low_level_size(),
                                          config_.prob_fa_content, config_.prob_fa_layout);
  return r;
}

StepLosses OneShotGan::train_step(const torch::Tensor& real) {
  if (config_.modes > 0)
    fail(ErrorCode::invalid_argument, "One-Shot GAN: this GAN is conditioned on " + std::to_string(config_.modes) +
         " modes; its train step needs each real image's mode (train_step_in_modes)");
  const int64_t n = real.dim() == 4 ? real.size(0) : 0;
  auto z_g = sample_noise(static_cast<int>(n));
  auto z_d = sample_noise(static_cast<int>(n));
  auto randomness = sample_step_randomness(n);
  if (config_.lambda_coverage > 0) randomness.z_coverage = sample_noise(config_.coverage_pool);
  return train_step_with(real, z_g, z_d, randomness);
}

StepLosses OneShotGan::train_step_in_modes(const torch::Tensor& real, const torch::Tensor& modes) {
  if (config_.modes == 0) return Gan::train_step_in_modes(real, modes);
  const int64_t n = real.dim() == 4 ? real.size(0) : 0;
  if (modes.dim() != 1 || modes.size(0) != n || n < 1 || modes.min().item<int64_t>() < 0 ||
      modes.max().item<int64_t>() >= config_.modes)
    fail(ErrorCode::invalid_argument, "One-Shot GAN train_step_in_modes: expected one mode in [0, " +
         std::to_string(config_.modes) + ") per real image (" + std::to_string(n) + ")");
  const auto on_device = modes.to(device_, torch::kLong);
  // The fakes of both phases are drawn in the real batch's modes: D compares like with like, in the data's shares.
  auto z_g = with_mode(torch::randn({n, arch_.noise_dim, 1, 1}), modes, config_).to(device_);
  auto z_d = with_mode(torch::randn({n, arch_.noise_dim, 1, 1}), modes, config_).to(device_);
  auto randomness = sample_step_randomness(n);
  if (config_.lambda_coverage > 0) randomness.z_coverage = sample_noise(config_.coverage_pool);
  return train_step_with(real, z_g, z_d, randomness, on_device);
}

StepLosses OneShotGan::train_step_with(const torch::Tensor& real, const torch::Tensor& z_g, const torch::Tensor& z_d,
                                       const one_shot::StepRandomness& r, const torch::Tensor& modes) {
  const int64_t s = arch_.image_size;
  if (real.dim() != 4 || real.size(0) < 2 || real.size(1) != arch_.image_channels || real.size(2) != s || real.size(3) != s) {
    std::ostringstream found;
    found << real.sizes();
    fail(ErrorCode::invalid_argument, "One-Shot GAN train_step: expected real images (N >= 2, " +
         std::to_string(arch_.image_channels) + ", " + std::to_string(s) + ", " + std::to_string(s) + "), got " +
         found.str() + ". Hint: the batch size must be at least 2 and images must be resized to --image-size.");
  }
  const auto weights = losses::branch_weights(arch_.blocks_d);
  StepLosses out;

  // G step: fakes from new noise z_g, augmented, judged by D (frozen); non-saturating loss plus lambda_DR * L_DR.
  // With coverage on, one G pass also draws, for each real image, the nearest fake of the step's pool (z_chosen),
  // and lambda_coverage * L_cov pulls it toward that real image (losses/coverage.h).
  set_requires_grad(*d_, false);
  const bool coverage = config_.lambda_coverage > 0;
  if (coverage && (!r.z_coverage.defined() || r.z_coverage.dim() != 4 || r.z_coverage.size(0) < 1))
    fail(ErrorCode::invalid_argument, "One-Shot GAN train_step: lambda_coverage > 0 needs the step's pool of noise "
         "(StepRandomness::z_coverage, (P, noise_dim, 1, 1))");
  const auto real_on_device = real.to(device_);
  const int64_t n = real.size(0);
  auto g_out = g_(coverage ? torch::cat({z_g.to(device_), nearest_pool_noise(real_on_device, r.z_coverage)})
                           : z_g.to(device_));
  torch::Tensor chosen;  // (N, C, S, S): the pool fakes nearest to the real images
  if (coverage) {
    chosen = g_out.images.back().slice(0, n);
    for (auto& t : g_out.images) t = t.slice(0, 0, n);
    for (auto& t : g_out.features) t = t.slice(0, 0, n);
  }
  auto g_judged = d_(apply_augment_multiscale(r.g_fake, finest_scales(g_out.images)), nullptr, modes);
  auto g_adv = losses::branch_losses(g_judged.low_level, g_judged.content, g_judged.layout, weights, mode_,
                                     /*target_real=*/true, /*for_generator=*/true);
  auto g_dr = config_.lambda_dr > 0 ? config_.lambda_dr * losses::diversity_regularization(g_out.features)
                                    : torch::zeros({}, g_adv.content.options());
  auto g_coverage = coverage ? config_.lambda_coverage * losses::coverage_loss(chosen, real_on_device)
                              : torch::zeros({}, g_adv.content.options());
  auto g_total = g_adv.total() + g_dr + g_coverage;
  g_optimizer_->zero_grad();
  g_total.backward();
  check_finite_before_step("G", {{"g_total", g_total}}, g_->parameters());
  g_optimizer_->step();
  set_requires_grad(*d_, true);

  // D step on real: augmented reals, their bilinear pyramid, feature augmentation inside D. With reconstruction on,
  // D also redraws each augmented real from the map its branches read (FastGAN): lambda_rec * mean |x_rec - x|.
  auto real_aug = apply_augment(r.d_real, real_on_device);
  auto d_real_out = d_(one_shot::image_pyramid(real_aug, arch_.blocks_d_low), &r.fa, modes);
  auto d_real = losses::branch_losses(d_real_out.low_level, d_real_out.content, d_real_out.layout, weights, mode_,
                                      /*target_real=*/true, /*for_generator=*/false);
  const bool reconstruction = config_.lambda_reconstruction > 0;
  auto d_reconstruction =
      reconstruction ? config_.lambda_reconstruction *
                           torch::nn::functional::l1_loss(d_->reconstruct(d_real_out.low_level_features), real_aug)
                     : torch::zeros({}, d_real.content.options());
  // D step on fake (G detached): new noise z_d, augmented with the same transform at every scale.
  std::vector<torch::Tensor> fake_scales;
  {
    torch::NoGradGuard no_grad;
    fake_scales = finest_scales(g_(z_d.to(device_)).images);
  }
  auto d_fake_out = d_(apply_augment_multiscale(r.d_fake, fake_scales), nullptr, modes);
  auto d_fake = losses::branch_losses(d_fake_out.low_level, d_fake_out.content, d_fake_out.layout, weights, mode_,
                                      /*target_real=*/false, /*for_generator=*/false);
  auto d_total = d_real.total() + d_fake.total() + d_reconstruction;
  d_optimizer_->zero_grad();
  d_total.backward();
  check_finite_before_step("D", {{"d_real", d_real.total()}, {"d_fake", d_fake.total()},
                                 {"d_reconstruction", d_reconstruction}}, d_->parameters());
  d_optimizer_->step();

  // EMA generator update over parameters and buffers.
  if (g_ema_) {
    const double decay = config_.ema_warmup ? ema_decay_at(config_.ema_decay, ema_updates_) : config_.ema_decay;
    update_ema(*g_ema_, *g_, decay);
    ++ema_updates_;
  }

  out["g_total"] = g_total.item<double>();
  out["g_dr"] = g_dr.item<double>();
  if (coverage) out["g_coverage"] = g_coverage.item<double>();
  record(out, "g", g_adv);
  out["d_total"] = d_total.item<double>();
  out["d_real"] = d_real.total().item<double>();
  out["d_fake"] = d_fake.total().item<double>();
  if (reconstruction) out["d_reconstruction"] = d_reconstruction.item<double>();
  record(out, "d_real", d_real);
  record(out, "d_fake", d_fake);
  return out;
}

torch::Tensor OneShotGan::nearest_pool_noise(const torch::Tensor& real, const torch::Tensor& z_pool) {
  // Train mode, as in the G step: the pool's forward also runs one spectral-norm power iteration (no gradient).
  torch::NoGradGuard no_grad;
  const auto z = z_pool.to(device_);
  return z.index_select(0, losses::nearest_in_pool(real, g_(z).images.back()));
}

torch::Tensor OneShotGan::generate(const torch::Tensor& z, bool use_ema) {
  // Generation must be a pure function of the weights and z. In training mode every spectral-norm forward runs a
  // power iteration that changes the stored u, v, so images would depend on how many batches came before (and on
  // --batch). Eval mode runs one power iteration on copies of the stored vectors and never writes them back
  // (sn_conv2d.h); the published code keeps EMA-G in training mode.
  torch::NoGradGuard no_grad;
  auto& g = (use_ema && g_ema_) ? g_ema_ : g_;
  const bool was_training = g->is_training();
  g->eval();
  auto images = g(z.to(device_)).images.back();  // (N, C, S, S)
  g->train(was_training);
  return images;
}

ScriptedGenerator OneShotGan::script_generator(bool use_ema) {
  auto& g = (use_ema && g_ema_) ? g_ema_ : g_;
  return g->script();
}

torch::Tensor OneShotGan::sample_noise(int n) {
  if (n < 1) fail(ErrorCode::invalid_argument, "One-Shot GAN: expected a noise batch of at least 1, got " + std::to_string(n));
  auto z = torch::randn({n, arch_.noise_dim, 1, 1});  // drawn on the CPU generator for reproducibility
  if (config_.modes > 0) {
    const auto shares = torch::tensor(config_.mode_shares, torch::kDouble);
    z = with_mode(z, torch::multinomial(shares, n, /*replacement=*/true), config_);
  }
  return z.to(device_);
}

void OneShotGan::save(torch::serialize::OutputArchive& archive) const {
  auto write = [&](const std::string& key, auto&& saver) {
    torch::serialize::OutputArchive sub;
    saver(sub);
    archive.write(key, sub);
  };
  write("generator", [&](auto& a) { g_->save(a); });
  write("discriminator", [&](auto& a) { d_->save(a); });
  if (g_ema_) write("generator_ema", [&](auto& a) { g_ema_->save(a); });
  write("g_optimizer", [&](auto& a) { g_optimizer_->save(a); });
  write("d_optimizer", [&](auto& a) { d_optimizer_->save(a); });
  archive.write("ema_updates", c10::IValue(ema_updates_));
}

void OneShotGan::load(torch::serialize::InputArchive& archive) {
  auto read = [&](const std::string& key, auto&& loader) {
    torch::serialize::InputArchive sub;
    if (!archive.try_read(key, sub))
      fail(ErrorCode::bad_format, "One-Shot GAN checkpoint: missing \"" + key + "\". Hint: was it written by another "
           "architecture or with use_ema off?");
    loader(sub);
  };
  read("generator", [&](auto& a) { g_->load(a); });
  // A D saved without the mode embeddings or without the decoder (an anatomy stage starting a conditioned or a
  // reconstructing fine-tune), or with a decoder this run does not use: the parts both Ds have are copied, the
  // embeddings start at zero, a new decoder as drawn.
  bool d_changes_shape = false;
  read("discriminator", [&](auto& a) {
    torch::Tensor embedding;
    torch::serialize::InputArchive decoder;
    auto saved = arch_;
    if (!a.try_read("mode_embedding_0", embedding)) saved.modes = 0;
    saved.reconstruction = a.try_read("decoder", decoder);
    d_changes_shape = saved.modes != arch_.modes || saved.reconstruction != arch_.reconstruction;
    if (!d_changes_shape) return d_->load(a);
    one_shot::Discriminator stored(saved);
    stored->load(a);
    torch::NoGradGuard no_grad;
    const auto into = d_->named_parameters(), into_buffers = d_->named_buffers();
    for (const auto& p : stored->named_parameters())
      if (into.contains(p.key())) into[p.key()].copy_(p.value());
    for (const auto& b : stored->named_buffers())
      if (into_buffers.contains(b.key())) into_buffers[b.key()].copy_(b.value());
  });
  if (g_ema_) read("generator_ema", [&](auto& a) { g_ema_->load(a); });
  read("g_optimizer", [&](auto& a) { g_optimizer_->load(a); });
  // D's Adam state then does not match its parameters: D's optimizer starts afresh (its weights do not).
  if (!d_changes_shape) read("d_optimizer", [&](auto& a) { d_optimizer_->load(a); });
  c10::IValue ema_updates;
  if (!archive.try_read("ema_updates", ema_updates))
    fail(ErrorCode::bad_format, "One-Shot GAN checkpoint: missing \"ema_updates\"");
  ema_updates_ = ema_updates.toInt();
  to(device_);  // archives may hold CPU tensors
}

void OneShotGan::set_learning_rates(double lr_g, double lr_d) {
  set_learning_rate(*g_optimizer_, lr_g);
  set_learning_rate(*d_optimizer_, lr_d);
}

void OneShotGan::to(const torch::Device& device) {
  device_ = device;
  g_->to(device);
  d_->to(device);
  if (g_ema_) g_ema_->to(device);
  if (g_optimizer_) move_adam_state(*g_optimizer_, device);
  if (d_optimizer_) move_adam_state(*d_optimizer_, device);
}

std::int64_t OneShotGan::parameter_count() const {
  std::int64_t count = 0;
  for (const auto& p : g_->parameters()) count += p.numel();
  for (const auto& p : d_->parameters()) count += p.numel();
  return count;
}

std::unique_ptr<Gan> make_one_shot_gan(const GanConfig& config, const torch::Device& device) {
  return std::make_unique<OneShotGan>(config, device);
}

}  // namespace osgan
