// Checks the C++ One-Shot GAN against the PyTorch mirror (reference/osgan_ref) tensor by tensor: forward outputs,
// augmentation with fixed parameters, every loss term, every G and D gradient of one train step, and the G, D and
// EMA-G state after 3 full train steps (G step + D step + EMA). The reference file comes from make_refs.py.
// Prints max abs / rel error per tensor; any mismatch fails the test (and so ctest).
#include <gtest/gtest.h>
#include <torch/script.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "osgan/losses/coverage.h"
#include "osgan/train/one_shot_gan.h"
#include "ref_support.h"

namespace {
using namespace osgan;
using namespace osgan::one_shot;

// Tolerances: kForward (also the augmentation outputs), kLoss and kGrad from ref_support.h, and for parameters:
using ref::check;
using ref::kForward;
using ref::kGrad;
using ref::kLoss;
using ref::state_of;
using ref::Tolerance;
// Parameters after Adam steps: an update is lr * m / (sqrt(v) + eps) ~ lr * sign(g), so a gradient entry near 0
// whose sign differs by rounding could move by up to 2 lr per step; entries are ~0.02 with lr 2e-4. 1e-5 is 20x
// below one Adam step, so a wrong update anywhere (wrong lr, betas, or gradient) is still caught.
constexpr Tolerance kParams{1e-5, 1e-4};
// Exception: a spectrally normalised weight with ONE element (the 1->1 layout convs) has W / sigma = +-1 whatever W
// is, so its true gradient is exactly 0 and both sides hold rounding noise (~1e-9); Adam turns noise into steps of
// ~lr with a random sign. Such a weight cannot change D's output; allow 2 lr per step over the 3 steps.
constexpr Tolerance kScaleFreeParams{3 * 2 * 2e-4, 0.0};

const ref::Refs& refs() {
  static const ref::Refs r(OSGAN_REF_FILE);
  return r;
}

GanConfig ref_config() {
  const auto c = refs().get("config");
  const auto f = refs().get("config_float");
  GanConfig config;
  config.image_size = static_cast<int>(c[0].item<int64_t>());
  config.noise_dim = static_cast<int>(c[1].item<int64_t>());
  config.channels_g = static_cast<int>(c[2].item<int64_t>());
  config.channels_d = static_cast<int>(c[3].item<int64_t>());
  config.blocks_g = static_cast<int>(c[4].item<int64_t>());
  config.blocks_d = static_cast<int>(c[5].item<int64_t>());
  config.blocks_d_low = static_cast<int>(c[6].item<int64_t>());
  config.lambda_dr = f[0].item<double>();
  config.ema_decay = f[1].item<double>();
  config.ema_warmup = false;  // the mirror follows the published constant decay
  config.lr_g = f[2].item<double>();
  config.lr_d = f[3].item<double>();
  config.beta1 = f[4].item<double>();
  config.beta2 = f[5].item<double>();
  return config;
}
int steps() { return static_cast<int>(refs().get("config")[8].item<int64_t>()); }

void load_state(torch::nn::Module& module, const std::string& prefix) { ref::load_state(module, refs(), prefix); }

int check_state(torch::nn::Module& module, const std::string& prefix, Tolerance tol) {
  int failures = 0;
  for (auto& [name, t] : state_of(module)) {
    const bool scale_free = t.numel() == 1 && name.size() > 11 && name.substr(name.size() - 11) == "weight_orig";
    failures += check(prefix + name, t, refs().get(prefix + name), scale_free ? kScaleFreeParams : tol) ? 0 : 1;
  }
  return failures;
}

AugmentParams aug_params(const std::string& prefix) {
  const auto& r = refs();
  AugmentParams p;
  if (r.has(prefix + "zoom_offsets")) {
    p.zoom = true;
    p.zoom_offsets = r.get(prefix + "zoom_offsets");
  }
  if (r.has(prefix + "crop_boxes")) {
    p.crop_mode = CropMode::crop;
    p.crop_boxes = r.get(prefix + "crop_boxes");
  } else if (r.has(prefix + "angles")) {
    p.crop_mode = CropMode::rotate;
    p.angles = r.get(prefix + "angles");
  }
  p.flip = r.get(prefix + "flip").item<int64_t>() != 0;
  if (r.has(prefix + "shifts_v")) p.shifts_v = r.get(prefix + "shifts_v");
  if (r.has(prefix + "shifts_h")) p.shifts_h = r.get(prefix + "shifts_h");
  return p;
}

FeatureAugmentParams fa_params(const std::string& prefix) {
  const auto& r = refs();
  FeatureAugmentParams p;
  if (r.has(prefix + "content_mix_mask")) {
    p.content_mix = true;
    p.content_mix_mask = r.get(prefix + "content_mix_mask");
  }
  if (r.has(prefix + "content_drop_mask")) {
    p.content_drop = true;
    p.content_drop_mask = r.get(prefix + "content_drop_mask");
  }
  if (r.has(prefix + "layout_rects")) p.layout_rects = r.get(prefix + "layout_rects");
  return p;
}

StepRandomness randomness(int step) {
  const std::string s = "step" + std::to_string(step) + "_";
  return {aug_params(s + "g_fake_"), aug_params(s + "d_real_"), aug_params(s + "d_fake_"), fa_params(s + "fa_")};
}

class ReferenceTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::set_num_threads(1); }  // same as make_refs.py: one summation order
};

TEST_F(ReferenceTest, GeneratorForwardAndPowerIteration) {
  auto arch = make_architecture(ref_config());
  Generator g(arch);
  load_state(*g, "init_g.");
  auto out = g(refs().get("step0_z_g"));
  ASSERT_EQ(out.images.size(), static_cast<std::size_t>(arch.blocks_g));
  for (std::size_t i = 0; i < out.images.size(); ++i) {
    check("fwd_g_image" + std::to_string(i), out.images[i], refs().get("fwd_g_image" + std::to_string(i)), kForward);
    check("fwd_g_feature" + std::to_string(i), out.features[i], refs().get("fwd_g_feature" + std::to_string(i)), kForward);
  }
  // u, v after one training forward: the power iteration matches torch.nn.utils.spectral_norm.
  EXPECT_EQ(check_state(*g, "fwd_g_after.", kForward), 0);
}

TEST_F(ReferenceTest, DiscriminatorForwardWithFeatureAugmentation) {
  auto arch = make_architecture(ref_config());
  Discriminator d(arch);
  load_state(*d, "init_d.");
  const auto fa = fa_params("step0_fa_");
  auto out = d(image_pyramid(refs().get("real"), arch.blocks_d_low), &fa);
  const std::vector<std::pair<std::string, std::vector<torch::Tensor>*>> branches = {
      {"low_level", &out.low_level}, {"content", &out.content}, {"layout", &out.layout}};
  for (const auto& [name, outputs] : branches) {
    ASSERT_FALSE(outputs->empty());
    for (std::size_t i = 0; i < outputs->size(); ++i) {
      const auto ref_name = "fwd_d_" + name + std::to_string(i);
      ASSERT_TRUE(refs().has(ref_name)) << ref_name;
      check(ref_name, (*outputs)[i], refs().get(ref_name), kForward);
    }
    EXPECT_FALSE(refs().has("fwd_d_" + name + std::to_string(outputs->size()))) << name << ": C++ has fewer outputs";
  }
}

// D's outputs against the mirror's (PREFIXfwd_d_<branch><i>), then the gradient of every parameter of the weighted
// sum 1 * output_0.sum() + 2 * output_1.sum() + ... (PREFIXgrad_d.<name>): weighted so that no two outputs'
// gradients could cancel or swap unnoticed.
void check_outputs_and_gradients(DiscriminatorImpl& d, DiscriminatorOutput out, const std::string& prefix) {
  torch::Tensor weighted_sum = torch::zeros({});
  int k = 0;
  for (const auto& [name, outputs] : {std::pair<std::string, std::vector<torch::Tensor>*>{"low_level", &out.low_level},
                                      {"content", &out.content}, {"layout", &out.layout}}) {
    for (std::size_t i = 0; i < outputs->size(); ++i) {
      const auto ref_name = prefix + "fwd_d_" + name + std::to_string(i);
      ASSERT_TRUE(refs().has(ref_name)) << ref_name;
      check(ref_name, (*outputs)[i], refs().get(ref_name), kForward);
      weighted_sum = weighted_sum + (++k) * (*outputs)[i].sum();
    }
  }
  weighted_sum.backward();
  for (const auto& item : d.named_parameters()) {
    const auto name = prefix + "grad_d." + item.key();
    ASSERT_TRUE(refs().has(name)) << name;
    check(name, item.value().grad(), refs().get(name), kGrad);
  }
}

// minibatch_std (an osgan extension): the branches also read the batch's feature spread. Outputs with feature
// augmentation and the gradient of a weighted sum of every output, against the mirror's.
TEST_F(ReferenceTest, DiscriminatorWithBatchSpreadForwardAndGradients) {
  auto config = ref_config();
  config.minibatch_std = true;
  auto arch = make_architecture(config);
  Discriminator d(arch);
  load_state(*d, "mbstd_init_d.");
  const auto fa = fa_params("step0_fa_");
  check_outputs_and_gradients(*d, d(image_pyramid(refs().get("real"), arch.blocks_d_low), &fa), "mbstd_");
  EXPECT_GT(d->named_parameters().size(), 20u);
  // The spread is one more input channel of each branch's first block.
  EXPECT_EQ(d->content->at<DiscriminatorBlockImpl>(0).in_channels, arch.low_level_channels() + 1);
  EXPECT_EQ(d->layout->at<DiscriminatorBlockImpl>(0).in_channels, arch.low_level_channels() + 1);
}

// The mode condition (an osgan extension): D's content heads add a projection onto the mode's embedding. Outputs
// with feature augmentation for fixed modes, and the gradient of a weighted sum of every output (embeddings
// included), against the mirror's.
TEST_F(ReferenceTest, ModeConditionedDiscriminatorForwardAndGradients) {
  auto config = ref_config();
  config.modes = 3;
  config.mode_shares = {0.5, 0.25, 0.25};
  auto arch = make_architecture(config);
  Discriminator d(arch);
  load_state(*d, "modes_init_d.");
  ASSERT_EQ(d->mode_embeddings.size(), static_cast<std::size_t>(arch.content_blocks()));
  const auto fa = fa_params("step0_fa_");
  const auto modes = refs().get("modes_batch").to(torch::kLong);
  check_outputs_and_gradients(*d, d(image_pyramid(refs().get("real"), arch.blocks_d_low), &fa, modes), "modes_");
  int embeddings = 0;
  for (const auto& item : d->named_parameters()) embeddings += item.key().rfind("mode_embedding_", 0) == 0 ? 1 : 0;
  EXPECT_EQ(embeddings, arch.content_blocks());
}

TEST_F(ReferenceTest, AugmentationWithFixedParameters) {
  const auto x = refs().get("aug_in");
  for (int k = 0; k < steps(); ++k) {
    const auto r = randomness(k);
    const std::string s = "aug_step" + std::to_string(k) + "_";
    check(s + "g_fake", apply_augment(r.g_fake, x), refs().get(s + "g_fake"), kForward);
    check(s + "d_real", apply_augment(r.d_real, x), refs().get(s + "d_real"), kForward);
    check(s + "d_fake", apply_augment(r.d_fake, x), refs().get(s + "d_fake"), kForward);
  }
  auto ms = apply_augment_multiscale(randomness(0).g_fake, {refs().get("aug_ms_in0"), refs().get("aug_ms_in1")});
  check("aug_ms_out0", ms[0], refs().get("aug_ms_out0"), kForward);
  check("aug_ms_out1", ms[1], refs().get("aug_ms_out1"), kForward);
  const auto fa = fa_params("step0_fa_");
  check("fa_content_out", apply_content_augment(fa, refs().get("fa_content_in")), refs().get("fa_content_out"), kForward);
  check("fa_layout_out", apply_layout_augment(fa, refs().get("fa_layout_in")), refs().get("fa_layout_out"), kForward);
}

// Every G and D gradient left by a train step against the mirror's (PREFIXgrad_g.<name>, PREFIXgrad_d.<name>); a
// parameter the mirror has no gradient for (G image heads D never reads) must have none or zeros. Returns how many
// were compared.
int check_gradients(OneShotGan& gan, const std::string& prefix) {
  int with_grad = 0;
  for (const auto& [part, module] : {std::pair<std::string, torch::nn::Module*>{"grad_g.", gan.generator().get()},
                                     {"grad_d.", gan.discriminator().get()}}) {
    for (const auto& item : module->named_parameters()) {
      const auto name = prefix + part + item.key();
      if (refs().has(name)) {
        ++with_grad;
        check(name, item.value().grad(), refs().get(name), kGrad);
      } else {
        const auto g = item.value().grad();
        EXPECT_TRUE(!g.defined() || g.abs().max().item<double>() == 0.0) << name << " should have no gradient";
      }
    }
  }
  return with_grad;
}

// G, D and EMA-G from the reference's PREFIX + "g.", "d.", "ema." (make_refs.py's put_gan_state).
void load_gan_state(OneShotGan& gan, const std::string& prefix) {
  load_state(*gan.generator(), prefix + "g.");
  load_state(*gan.discriminator(), prefix + "d.");
  load_state(*gan.ema_generator(), prefix + "ema.");
}

// The mismatching tensors of G, D and EMA-G against PREFIX + "g.", "d.", "ema." (each one printed by check).
int check_gan_state(OneShotGan& gan, const std::string& prefix) {
  return check_state(*gan.generator(), prefix + "g.", kParams) +
         check_state(*gan.discriminator(), prefix + "d.", kParams) +
         check_state(*gan.ema_generator(), prefix + "ema.", kParams);
}

TEST_F(ReferenceTest, ThreeTrainStepsLossesGradientsAndState) {
  OneShotGan gan(ref_config(), torch::kCPU);
  load_gan_state(gan, "init_");
  const auto real = refs().get("real");
  for (int k = 0; k < steps(); ++k) {
    const std::string s = "step" + std::to_string(k) + "_";
    const auto losses = gan.train_step_with(real, refs().get(s + "z_g"), refs().get(s + "z_d"), randomness(k));
    for (const auto& [name, value] : losses) {
      ASSERT_TRUE(refs().has(s + "loss_" + name)) << "C++ loss term " << name << " has no reference";
      check(s + "loss_" + name, torch::tensor(value, torch::kFloat64), refs().get(s + "loss_" + name), kLoss);
    }
    EXPECT_EQ(losses.size(), 14u);  // g_total g_dr g_{content,layout,low_level} d_total d_real d_fake d_{real,fake}_*
    if (k != 0) continue;
    // Every gradient of step 0: G's from the G step, D's from the D step (D is frozen during the G step).
    EXPECT_GT(check_gradients(gan, ""), 50);
    EXPECT_EQ(check_state(*gan.generator(), "step0_g.", kParams), 0);
    EXPECT_EQ(check_state(*gan.discriminator(), "step0_d.", kParams), 0);
  }
  EXPECT_EQ(check_gan_state(gan, "final_"), 0);
}

// The coverage term (an osgan extension, losses/coverage.h): from the same initial weights, 2 train steps with
// lambda_coverage 1 and a pool of 6: the pool's choice, every loss, every gradient of step 0, and the G, D and EMA-G
// state after both, against the mirror's.
TEST_F(ReferenceTest, CoverageTermTwoStepsLossesGradientsAndState) {
  auto config = ref_config();
  const auto c = refs().get("cov_config");
  config.lambda_coverage = c[0].item<double>();
  config.coverage_pool = static_cast<int>(c[1].item<double>());
  OneShotGan gan(config, torch::kCPU);
  load_gan_state(gan, "init_");
  const auto real = refs().get("real");
  for (int k = 0; k < 2; ++k) {
    const std::string s = "cov_step" + std::to_string(k) + "_";
    auto r = randomness(k);
    r.z_coverage = refs().get(s + "z_coverage");
    {  // the choice on its own, from a copy (the step's own pool pass moves u, v)
      torch::NoGradGuard no_grad;
      auto g = std::dynamic_pointer_cast<GeneratorImpl>(gan.generator()->clone());
      const auto nearest = losses::nearest_in_pool(real, g->forward(r.z_coverage).images.back());
      EXPECT_TRUE(torch::equal(nearest, refs().get(s + "nearest"))) << nearest << " against " << refs().get(s + "nearest");
    }
    const auto losses = gan.train_step_with(real, refs().get("step" + std::to_string(k) + "_z_g"),
                                            refs().get("step" + std::to_string(k) + "_z_d"), r);
    ASSERT_TRUE(losses.count("g_coverage"));
    EXPECT_GT(losses.at("g_coverage"), 0.0);
    for (const auto& [name, value] : losses) {
      ASSERT_TRUE(refs().has(s + "loss_" + name)) << "C++ loss term " << name << " has no reference";
      check(s + "loss_" + name, torch::tensor(value, torch::kFloat64), refs().get(s + "loss_" + name), kLoss);
    }
    EXPECT_EQ(losses.size(), 15u);  // the 14 of a plain step and g_coverage
    if (k != 0) continue;
    EXPECT_GT(check_gradients(gan, "cov_"), 50);
  }
  EXPECT_EQ(check_gan_state(gan, "cov_final_"), 0);
}

// FastGAN's reconstruction (an osgan extension): a fresh GAN with lambda_reconstruction 1 (its own initial weights,
// the decoder included) makes 2 train steps with the noise and randomness of the first 2 steps: the decoder's image
// from the initial D, every loss, every gradient of step 0 (the decoder's among them), and the G, D and EMA-G state
// after both, against the mirror's.
TEST_F(ReferenceTest, ReconstructionTwoStepsLossesGradientsAndState) {
  auto config = ref_config();
  config.lambda_reconstruction = 1.0;
  OneShotGan gan(config, torch::kCPU);
  ASSERT_TRUE(gan.discriminator()->decoder);
  load_gan_state(gan, "rec_init_");
  const auto real = refs().get("real");
  {  // the decoder on its own, from a copy (its forward moves u, v)
    auto d = std::dynamic_pointer_cast<DiscriminatorImpl>(gan.discriminator()->clone());
    const auto features = d->forward(image_pyramid(real, d->arch.blocks_d_low)).low_level_features;
    check("rec_fwd_image", d->reconstruct(features), refs().get("rec_fwd_image"), kForward);
  }
  for (int k = 0; k < 2; ++k) {
    const std::string s = "rec_step" + std::to_string(k) + "_";
    const auto losses = gan.train_step_with(real, refs().get("step" + std::to_string(k) + "_z_g"),
                                            refs().get("step" + std::to_string(k) + "_z_d"), randomness(k));
    ASSERT_TRUE(losses.count("d_reconstruction"));
    EXPECT_GT(losses.at("d_reconstruction"), 0.0);
    for (const auto& [name, value] : losses) {
      ASSERT_TRUE(refs().has(s + "loss_" + name)) << "C++ loss term " << name << " has no reference";
      check(s + "loss_" + name, torch::tensor(value, torch::kFloat64), refs().get(s + "loss_" + name), kLoss);
    }
    EXPECT_EQ(losses.size(), 15u);  // the 14 of a plain step and d_reconstruction
    if (k != 0) continue;
    EXPECT_GT(check_gradients(gan, "rec_"), 50);
    for (const auto& item : gan.discriminator()->decoder->named_parameters())
      EXPECT_TRUE(refs().has("rec_grad_d.decoder." + item.key())) << "decoder." << item.key() << " has no gradient";
  }
  EXPECT_EQ(check_gan_state(gan, "rec_final_"), 0);
}

// Fresh weights against PyTorch's: for each init, every weight_orig of a 64 px, channel-base-8 G and D has the std
// and the range of the mirror's (whose "as-run" weights are PyTorch's own Conv2d default, untouched). Different
// random draws, so the check is statistical: std within 6 standard errors for tensors of >= 256 entries, and for
// as-run every entry inside PyTorch's bound 1/sqrt(fan_in), which the mirror's largest entry approaches.
TEST_F(ReferenceTest, FreshWeightsMatchPyTorchInitStatistics) {
  for (const std::string init : {"as-run", "normal-0.02"}) {
    GanConfig config;
    config.image_size = 64;
    config.channels_g = 8;
    config.channels_d = 8;
    config.init = init;
    OneShotGan gan(config, torch::kCPU);
    const std::string tag = init == "as-run" ? "as_run" : "normal_002";
    int compared = 0;
    for (const auto& [part, module] : {std::pair<std::string, torch::nn::Module*>{"g", gan.generator().get()},
                                       {"d", gan.discriminator().get()}}) {
      for (const auto& item : module->named_parameters()) {
        if (item.key().size() < 11 || item.key().compare(item.key().size() - 11, 11, "weight_orig") != 0) continue;
        const auto name = "initstats_" + tag + "_" + part + "." + item.key();
        ASSERT_TRUE(refs().has(name)) << name;
        const auto ref = refs().get(name);  // [std, max |w|]
        const auto w = item.value().detach().to(torch::kFloat64);
        const double n = static_cast<double>(w.numel()), fan_in = static_cast<double>(w[0].numel());
        const double ref_std = ref[0].item<double>(), ref_max = ref[1].item<double>();
        if (init == "as-run") {
          EXPECT_LE(w.abs().max().item<double>(), 1.0 / std::sqrt(fan_in) + 1e-7) << name;
          EXPECT_LE(ref_max, 1.0 / std::sqrt(fan_in) + 1e-7) << name << " (the mirror itself)";
        }
        if (n < 256) continue;
        // Standard error of a sample std: sigma sqrt((kurtosis - 1) / (4 n)); kurtosis 1.8 (uniform) or 3 (normal).
        const double se = ref_std * std::sqrt((init == "as-run" ? 0.8 : 2.0) / (4 * n)) * std::sqrt(2.0);
        EXPECT_NEAR(w.std().item<double>(), ref_std, 6 * se) << name;
        if (init == "as-run") EXPECT_NEAR(ref_std, 1.0 / std::sqrt(3 * fan_in), 6 * se) << name << " (the mirror itself)";
        if (init == "normal-0.02") EXPECT_NEAR(ref_std, 0.02, 6 * se) << name << " (the mirror itself)";
        ++compared;
      }
    }
    EXPECT_GT(compared, 20) << init;
  }
}

}  // namespace
