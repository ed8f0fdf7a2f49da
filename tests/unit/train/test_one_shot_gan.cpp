// OneShotGan on a tiny config: EMA formula, a train step changes what it should, runs are reproducible from the
// seed, save/load restores G, D, EMA-G and both optimizers, bad input is a clear osgan::Error.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "osgan/core/error.h"
#include "osgan/losses/coverage.h"
#include "osgan/train/ema.h"
#include "osgan/train/one_shot_gan.h"
#include "train_test_util.h"

namespace {
using namespace osgan;

GanConfig tiny_config() {
  GanConfig c = test::tiny_one_shot_config();
  c.prob_augment = 0.7;  // exercise the augmentation paths
  c.ema_warmup = false;  // the published constant decay, checked below
  return c;
}

torch::Tensor real_batch() {
  torch::manual_seed(99);
  return torch::rand({3, 1, 32, 32}) * 2 - 1;
}

TEST(Ema, UpdatesParametersAndBuffers) {
  torch::manual_seed(0);
  torch::nn::BatchNorm2d model(3), ema(3);  // has parameters and buffers (running stats)
  {
    torch::NoGradGuard no_grad;
    model->weight.fill_(2.0);
    model->running_mean.fill_(4.0);
    ema->weight.fill_(1.0);
    ema->running_mean.fill_(0.0);
  }
  osgan::update_ema(*ema, *model, 0.9);
  EXPECT_NEAR(ema->weight[0].item<double>(), 0.9 * 1.0 + 0.1 * 2.0, 1e-6);
  EXPECT_NEAR(ema->running_mean[1].item<double>(), 0.1 * 4.0, 1e-6);
  EXPECT_EQ(ema->num_batches_tracked.item<int64_t>(), model->num_batches_tracked.item<int64_t>());
  torch::nn::Linear other(3, 3);
  EXPECT_THROW(osgan::update_ema(*ema, *other, 0.9), osgan::Error);
}

TEST(OneShotGan, TrainStepUpdatesModelsAndReportsNamedLosses) {
  torch::manual_seed(1);
  OneShotGan gan(tiny_config(), torch::kCPU);
  const auto g_before = gan.generator()->body[0]->as<one_shot::GeneratorBlock>()->conv1->weight_orig.clone();
  const auto d_before = gan.discriminator()->content_heads[0]->as<one_shot::SNConv2d>()->weight_orig.clone();
  const auto ema_before = gan.ema_generator()->first_linear->weight.clone();
  const auto losses = gan.train_step(real_batch());
  for (const char* name : {"g_total", "g_dr", "g_content", "g_layout", "g_low_level", "d_total", "d_real", "d_fake",
                           "d_real_content", "d_fake_low_level"}) {
    ASSERT_TRUE(losses.count(name)) << name;
    EXPECT_TRUE(std::isfinite(losses.at(name))) << name;
  }
  EXPECT_LT(losses.at("g_dr"), 0.0);  // lambda_DR * L_DR, L_DR <= 0
  EXPECT_NEAR(losses.at("g_total"), losses.at("g_content") + losses.at("g_layout") + losses.at("g_low_level") + losses.at("g_dr"), 1e-5);
  EXPECT_NEAR(losses.at("d_total"), losses.at("d_real") + losses.at("d_fake"), 1e-5);
  EXPECT_FALSE(torch::equal(g_before, gan.generator()->body[0]->as<one_shot::GeneratorBlock>()->conv1->weight_orig));
  EXPECT_FALSE(torch::equal(d_before, gan.discriminator()->content_heads[0]->as<one_shot::SNConv2d>()->weight_orig));
  // EMA = 0.9999 * EMA + 0.0001 * G (it started equal to G).
  const auto& ema_after = gan.ema_generator()->first_linear->weight;
  EXPECT_FALSE(torch::equal(ema_after, ema_before));
  EXPECT_TRUE(torch::allclose(ema_after, ema_before * 0.9999 + gan.generator()->first_linear->weight * 1e-4, 0.0, 1e-7));
  EXPECT_FALSE(torch::allclose(ema_after, gan.generator()->first_linear->weight, 0.0, 1e-6));
  // D's parameters are trainable again after the G step froze them.
  for (const auto& p : gan.discriminator()->parameters()) ASSERT_TRUE(p.requires_grad());
  EXPECT_EQ(gan.generate(gan.sample_noise(2)).sizes(), (std::vector<int64_t>{2, 1, 32, 32}));
}

// The coverage term: a step reports g_coverage in g_total and pulls G toward the real images: from the same start,
// the pool's fakes nearest to the real batch move closer to it than without the term.
TEST(OneShotGan, CoverageTermJoinsTheGLossAndPullsTheNearestFakesTowardTheRealImages) {
  auto config = tiny_config();
  config.prob_augment = 0;
  config.lambda_coverage = 5.0;
  config.coverage_pool = 8;
  const auto real = real_batch();
  torch::manual_seed(3);
  const auto z_pool = torch::randn({8, config.noise_dim, 1, 1});
  // Mean distance from each real image to its nearest pool fake, at full size, after `steps` steps.
  auto distance_after = [&](double lambda, int steps, StepLosses* first) {
    auto c = config;
    c.lambda_coverage = lambda;
    torch::manual_seed(1);
    OneShotGan gan(c, torch::kCPU);
    for (int k = 0; k < steps; ++k) {
      torch::manual_seed(100 + k);
      auto r = gan.sample_step_randomness(real.size(0));
      r.z_coverage = z_pool;
      const auto losses = gan.train_step_with(real, gan.sample_noise(3), gan.sample_noise(3), r);
      if (k == 0 && first) *first = losses;
    }
    torch::NoGradGuard no_grad;
    const auto pool = gan.generator()->forward(z_pool).images.back();
    return (pool.index_select(0, losses::nearest_in_pool(real, pool)) - real).abs().mean().item<double>();
  };
  StepLosses losses;
  const double with_term = distance_after(5.0, 15, &losses);
  const double without = distance_after(0.0, 15, nullptr);
  ASSERT_TRUE(losses.count("g_coverage"));
  EXPECT_GT(losses.at("g_coverage"), 0.0);
  EXPECT_NEAR(losses.at("g_total"), losses.at("g_content") + losses.at("g_layout") + losses.at("g_low_level") +
                                        losses.at("g_dr") + losses.at("g_coverage"), 1e-5);
  EXPECT_LT(with_term, without) << "the coverage term should bring the nearest fakes closer to the real images";
}

TEST(OneShotGan, CoverageNeedsAPoolAndANonNegativeWeight) {
  auto config = tiny_config();
  config.lambda_coverage = -1;
  EXPECT_THROW(OneShotGan(config, torch::kCPU), Error);
  config.lambda_coverage = 1;
  config.coverage_pool = 0;
  EXPECT_THROW(OneShotGan(config, torch::kCPU), Error);
  config.coverage_pool = 4;
  OneShotGan gan(config, torch::kCPU);
  // train_step draws the pool itself; train_step_with needs it given.
  EXPECT_TRUE(gan.train_step(real_batch()).count("g_coverage"));
  EXPECT_THROW(gan.train_step_with(real_batch(), gan.sample_noise(3), gan.sample_noise(3), gan.sample_step_randomness(3)),
               Error);
  // Off (the published model), the step has no such term.
  OneShotGan plain(tiny_config(), torch::kCPU);
  EXPECT_FALSE(plain.train_step(real_batch()).count("g_coverage"));
}

TEST(OneShotGan, EmaWarmUpFollowsTheNumUpdatesRule) {
  GanConfig c = tiny_config();
  c.ema_warmup = true;
  torch::manual_seed(1);
  OneShotGan gan(c, torch::kCPU);
  const auto ema_before = gan.ema_generator()->first_linear->weight.clone();
  gan.train_step(real_batch());
  // First update: decay min(0.9999, 1/10) = 0.1.
  EXPECT_TRUE(torch::allclose(gan.ema_generator()->first_linear->weight,
                              ema_before * 0.1 + gan.generator()->first_linear->weight * 0.9, 0.0, 1e-6));
}

TEST(OneShotGan, ReproducibleFromTheSeed) {
  auto run = [] {
    torch::manual_seed(5);
    OneShotGan gan(tiny_config(), torch::kCPU);
    StepLosses last;
    for (int i = 0; i < 2; ++i) last = gan.train_step(real_batch().clone());
    torch::manual_seed(6);
    return std::make_pair(last, gan.generate(gan.sample_noise(2)));
  };
  const auto a = run(), b = run();
  EXPECT_EQ(a.first, b.first);
  EXPECT_TRUE(torch::equal(a.second, b.second));
}

TEST(OneShotGan, GenerateIsAPureFunctionOfWeightsAndNoise) {
  torch::manual_seed(7);
  OneShotGan gan(tiny_config(), torch::kCPU);
  gan.train_step(real_batch());
  const auto z = gan.sample_noise(4);
  const auto u_before = gan.ema_generator()->body[0]->as<one_shot::GeneratorBlock>()->conv1->weight_u.clone();
  const auto all = gan.generate(z);
  const auto first_two = gan.generate(z.slice(0, 0, 2));
  const auto again = gan.generate(z);
  EXPECT_TRUE(torch::equal(all, again)) << "a second call gave other images";
  EXPECT_TRUE(torch::allclose(all.slice(0, 0, 2), first_two, 1e-5, 1e-6)) << "images depend on the batch split";
  EXPECT_TRUE(torch::equal(u_before, gan.ema_generator()->body[0]->as<one_shot::GeneratorBlock>()->conv1->weight_u));
  EXPECT_TRUE(gan.ema_generator()->is_training()) << "generate() must restore the module's mode";
}

TEST(OneShotGan, SaveLoadRestoresEverything) {
  torch::manual_seed(2);
  OneShotGan gan(tiny_config(), torch::kCPU);
  gan.train_step(real_batch());
  torch::manual_seed(77);  // a different init, overwritten by load
  OneShotGan restored(tiny_config(), torch::kCPU);
  test::copy_through_archive(gan, restored);
  // Same next step (needs G, D and both Adam states) and same EMA generation.
  torch::manual_seed(3);
  const auto next = gan.train_step(real_batch());
  torch::manual_seed(3);
  const auto next_restored = restored.train_step(real_batch());
  for (const auto& [name, value] : next) EXPECT_NEAR(next_restored.at(name), value, 1e-6) << name;
  const auto z = torch::randn({2, 8, 1, 1});
  EXPECT_TRUE(torch::allclose(gan.generate(z), restored.generate(z), 1e-6, 1e-6));
  EXPECT_EQ(gan.parameter_count(), restored.parameter_count());

  osgan::GanConfig no_ema = tiny_config();
  no_ema.use_ema = false;
  OneShotGan without(no_ema, torch::kCPU);
  EXPECT_THROW(test::copy_through_archive(without, restored), osgan::Error);  // no generator_ema in it
}

TEST(OneShotGan, BadInputIsAClearError) {
  torch::manual_seed(4);
  auto gan = make_one_shot_gan(tiny_config(), torch::kCPU);
  EXPECT_GT(gan->parameter_count(), 0);
  EXPECT_THROW(gan->train_step(torch::zeros({3, 1, 16, 16})), osgan::Error);  // wrong size
  EXPECT_THROW(gan->train_step(torch::zeros({1, 1, 32, 32})), osgan::Error);  // DR needs pairs
  EXPECT_THROW(gan->train_step(torch::zeros({3, 3, 32, 32})), osgan::Error);  // channels
  auto c = tiny_config();
  c.loss = "wgan";
  EXPECT_THROW(make_one_shot_gan(c, torch::kCPU), osgan::Error);
  c = tiny_config();
  c.prob_augment = 1.5;
  EXPECT_THROW(make_one_shot_gan(c, torch::kCPU), osgan::Error);
  EXPECT_THROW(gan->sample_noise(0), osgan::Error);
}

}  // namespace
