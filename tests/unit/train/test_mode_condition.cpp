// The mode-conditioned One-Shot GAN (GanConfig::modes): the noise means, the modes drawn in their shares, D's
// projection onto the mode embedding (checked against its definition through autograd), a conditioned step, an
// unconditioned checkpoint starting a conditioned GAN, and the options that derive the condition.
#include <gtest/gtest.h>

#include <cmath>

#include "osgan/core/error.h"
#include "osgan/train/gan_train_options.h"
#include "osgan/train/mode_condition.h"
#include "osgan/train/one_shot_gan.h"
#include "train_test_util.h"

namespace {
using namespace osgan;

GanConfig tiny_config(int modes = 0) {
  GanConfig c = test::tiny_one_shot_config();
  if (modes > 0) {
    c.modes = modes;
    c.mode_shares.assign(static_cast<std::size_t>(modes), 1.0 / modes);
  }
  return c;
}

torch::Tensor real_batch(int n = 3) {
  torch::manual_seed(99);
  return torch::rand({n, 1, 32, 32}) * 2 - 1;
}

TEST(ModeCondition, TheNoiseMeansAreFixedAndOfTheRadius) {
  const auto a = mode_noise_means(3, 64, 4.0), b = mode_noise_means(3, 64, 4.0);
  ASSERT_EQ(a.sizes(), (std::vector<int64_t>{3, 64}));
  EXPECT_TRUE(torch::equal(a, b));  // a function of (modes, noise_dim, radius) only
  EXPECT_TRUE(torch::allclose(a.norm(2, 1), torch::full({3}, 4.0), 1e-5, 1e-5));
  torch::manual_seed(5);
  const auto before = torch::rand({1});
  torch::manual_seed(5);
  mode_noise_means(3, 64, 4.0);
  EXPECT_TRUE(torch::equal(torch::rand({1}), before)) << "the means must not draw from the run's random stream";
  // Nearly orthogonal directions: every pair of modes far apart in the noise space.
  const auto gram = a.matmul(a.t()) / 16.0;
  EXPECT_LT((gram - torch::eye(3)).abs().max().item<double>(), 0.5);

  auto config = tiny_config(3);
  config.noise_dim = 64;
  const auto z = torch::randn({4, 64, 1, 1});
  const auto modes = torch::tensor(std::vector<int64_t>{2, 0, 2, 1});
  const auto moved = with_mode(z, modes, config);
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(torch::allclose((moved[i] - z[i]).flatten(), a[modes[i].item<int64_t>()], 1e-6, 1e-6)) << i;
}

TEST(ModeCondition, InterleavedModesHoldTheSharesAtEveryPrefix) {
  const std::vector<double> shares = {0.6, 0.3, 0.1};
  const auto modes = interleaved_modes(shares, 50);
  ASSERT_EQ(modes.size(), 50u);
  EXPECT_EQ(modes[0], 0);  // the largest share leads
  std::vector<int> counts(3, 0);
  for (std::size_t i = 0; i < modes.size(); ++i) {
    ++counts[static_cast<std::size_t>(modes[i])];
    for (std::size_t k = 0; k < 3; ++k)
      EXPECT_LT(std::abs(counts[k] - shares[k] * static_cast<double>(i + 1)), 1.0) << "prefix " << i + 1 << " mode " << k;
  }
  EXPECT_EQ(counts, (std::vector<int>{30, 15, 5}));
}

TEST(ModeCondition, SampledNoiseLiesAroundTheModesInTheirShares) {
  auto config = tiny_config(2);
  config.noise_dim = 64;
  config.mode_shares = {0.75, 0.25};
  torch::manual_seed(6);
  OneShotGan gan(config, torch::kCPU);
  const auto z = gan.sample_noise(4000).flatten(1);  // (4000, 64)
  const auto means = mode_noise_means(2, 64, config.mode_noise_radius);
  // Each draw is nearest its own mean (radius 4 against unit noise per direction), so the nearest mean is its mode.
  const auto nearest = torch::cdist(z, means).argmin(1);
  const double share0 = (nearest == 0).to(torch::kDouble).mean().item<double>();
  EXPECT_NEAR(share0, 0.75, 0.03);
}

TEST(ModeCondition, ZeroEmbeddingsMakeTheUnconditionedDiscriminator) {
  torch::manual_seed(11);
  OneShotGan plain(tiny_config(), torch::kCPU);
  torch::manual_seed(11);
  OneShotGan conditioned(tiny_config(3), torch::kCPU);  // the same weights: the embeddings draw nothing
  auto& d0 = plain.discriminator();
  auto& d1 = conditioned.discriminator();
  ASSERT_EQ(d1->mode_embeddings.size(), static_cast<std::size_t>(d1->arch.content_blocks()));
  for (const auto& e : d1->mode_embeddings) EXPECT_EQ(e.abs().sum().item<double>(), 0.0);
  d0->eval();
  d1->eval();  // spectral norm without writing u, v back: both see the same weights
  const auto images = one_shot::image_pyramid(real_batch(), d0->arch.blocks_d_low);
  const auto modes = torch::tensor(std::vector<int64_t>{0, 2, 0});
  const auto a = d0->forward(images), b = d1->forward(images, nullptr, modes);
  for (std::size_t j = 0; j < a.content.size(); ++j) EXPECT_TRUE(torch::allclose(a.content[j], b.content[j])) << j;
  for (std::size_t j = 0; j < a.layout.size(); ++j) EXPECT_TRUE(torch::equal(a.layout[j], b.layout[j])) << j;
  EXPECT_THROW(d1->forward(images), c10::Error);                  // a conditioned D needs the modes
  EXPECT_THROW(d0->forward(images, nullptr, modes), c10::Error);  // an unconditioned one refuses them
}

TEST(ModeCondition, TheContentLogitGainsTheProjectionOfItsFeatures) {
  // logit_j(x, k) = head_j(h_j) + <E_j[k], h_j>: linear in E_j with gradient h_j in row k. So with the gradient g of
  // logit_j[i] with respect to E_j (h_j[i], in row modes[i]), logit_j[i] at E equals logit_j[i] at 0 plus <E, g>.
  torch::manual_seed(12);
  OneShotGan conditioned(tiny_config(3), torch::kCPU);
  auto& d = conditioned.discriminator();
  d->eval();
  const auto images = one_shot::image_pyramid(real_batch(), d->arch.blocks_d_low);
  const auto modes = torch::tensor(std::vector<int64_t>{1, 2, 1});
  const auto at_zero = d->forward(images, nullptr, modes);
  {
    torch::NoGradGuard no_grad;
    for (auto& e : d->mode_embeddings) e.normal_(0.0, 0.5);
  }
  const auto at_e = d->forward(images, nullptr, modes);
  for (std::size_t j = 0; j < at_e.content.size(); ++j)
    for (int64_t i = 0; i < 3; ++i) {
      const auto grad = torch::autograd::grad({at_e.content[j][i].sum()}, {d->mode_embeddings[j]},
                                              /*grad_outputs=*/{}, /*retain_graph=*/true)[0];  // (K, C_j)
      for (int64_t k = 0; k < 3; ++k)
        if (k != modes[i].item<int64_t>()) EXPECT_EQ(grad[k].abs().sum().item<double>(), 0.0) << "row of another mode";
      const double expected = at_zero.content[j][i].item<double>() + (d->mode_embeddings[j] * grad).sum().item<double>();
      EXPECT_NEAR(at_e.content[j][i].item<double>(), expected, 1e-5) << "head " << j << " image " << i;
      EXPECT_GT(grad.abs().sum().item<double>(), 0.0);
    }
}

TEST(ModeCondition, AConditionedStepTrainsTheEmbeddingsAndNeedsTheModes) {
  torch::manual_seed(13);
  OneShotGan gan(tiny_config(3), torch::kCPU);
  EXPECT_THROW(gan.train_step(real_batch()), osgan::Error);  // a conditioned GAN's step needs the modes
  EXPECT_THROW(gan.train_step_in_modes(real_batch(), torch::tensor(std::vector<int64_t>{0, 3, 1})), osgan::Error);
  EXPECT_THROW(gan.train_step_in_modes(real_batch(), torch::tensor(std::vector<int64_t>{0, 1})), osgan::Error);
  const auto losses = gan.train_step_in_modes(real_batch(), torch::tensor(std::vector<int64_t>{0, 2, 2}));
  for (const auto& [name, value] : losses) EXPECT_TRUE(std::isfinite(value)) << name;
  const auto& e = gan.discriminator()->mode_embeddings;
  EXPECT_GT(e[0][0].abs().sum().item<double>(), 0.0);  // modes 0 and 2 were in the batch
  EXPECT_GT(e[0][2].abs().sum().item<double>(), 0.0);
  EXPECT_EQ(e[0][1].abs().sum().item<double>(), 0.0);  // mode 1 was not: Adam leaves a zero gradient's row alone

  torch::manual_seed(13);
  OneShotGan plain(tiny_config(), torch::kCPU);
  EXPECT_THROW(plain.train_step_in_modes(real_batch(), torch::tensor(std::vector<int64_t>{0, 1, 1})), osgan::Error);
}

TEST(ModeCondition, AnUnconditionedCheckpointStartsAConditionedGan) {
  torch::manual_seed(14);
  OneShotGan plain(tiny_config(), torch::kCPU);
  plain.train_step(real_batch());
  torch::manual_seed(77);
  OneShotGan conditioned(tiny_config(2), torch::kCPU);
  test::copy_through_archive(plain, conditioned);
  const auto z = torch::randn({2, 8, 1, 1});
  EXPECT_TRUE(torch::equal(plain.generate(z), conditioned.generate(z)));  // G and EMA-G carried over
  auto theirs = plain.discriminator()->named_parameters();
  for (const auto& p : conditioned.discriminator()->named_parameters()) {
    if (p.key().rfind("mode_embedding_", 0) == 0) EXPECT_EQ(p.value().abs().sum().item<double>(), 0.0) << p.key();
    else EXPECT_TRUE(torch::equal(p.value(), theirs[p.key()])) << p.key();
  }
  EXPECT_TRUE(std::isfinite(conditioned.train_step_in_modes(real_batch(), torch::tensor(std::vector<int64_t>{0, 1, 1}))
                                .at("d_total")));

  // A conditioned checkpoint round-trips its embeddings.
  torch::manual_seed(78);
  OneShotGan restored(tiny_config(2), torch::kCPU);
  test::copy_through_archive(conditioned, restored);
  for (std::size_t j = 0; j < restored.discriminator()->mode_embeddings.size(); ++j)
    EXPECT_TRUE(torch::equal(restored.discriminator()->mode_embeddings[j], conditioned.discriminator()->mode_embeddings[j]));
}

TEST(ModeCondition, TheOptionsDeriveTheModesAndRefuseInconsistentLists) {
  GanTrainOptions o = test::four_slices_in_two_modes();
  EXPECT_NO_THROW(validate(o));
  derive_mode_condition(o);
  EXPECT_EQ(o.gan.modes, 2);
  EXPECT_EQ(o.gan.mode_shares, (std::vector<double>{0.25, 0.75}));
  // Through YAML (a checkpoint's config): the condition is derived again, the radius kept.
  o.gan.mode_noise_radius = 3.0;
  const auto back = options_from_yaml_text(to_yaml(o), "config.yaml");
  EXPECT_EQ(back.sample_modes, o.sample_modes);
  EXPECT_EQ(back.gan.modes, 2);
  EXPECT_EQ(back.gan.mode_shares, o.gan.mode_shares);
  EXPECT_EQ(back.gan.mode_noise_radius, 3.0);
  // Unconditioned options write none of the keys (earlier configs and fingerprints stay as they were).
  GanTrainOptions plain = o;
  plain.sample_modes.clear();
  EXPECT_EQ(to_yaml(plain).find("sample_modes"), std::string::npos);
  EXPECT_EQ(to_yaml(plain).find("mode_noise_radius"), std::string::npos);

  auto bad = o;
  bad.sample_modes = {0, 1, 1};
  test::expect_options_refused(bad, "one mode per listed sample (4), got 3");
  bad.sample_modes = {0, 2, 2, 0};
  test::expect_options_refused(bad, "mode 1 has no sample");
  bad.sample_modes = {0, 0, 0, 0};
  test::expect_options_refused(bad, "2 <= K <= 32");
  bad.sample_modes = {0, -1, 1, 1};
  test::expect_options_refused(bad, "2 <= K <= 32");
  bad = o;
  bad.gan.arch = "dcgan";
  test::expect_options_refused(bad, "only --arch one-shot");

  auto config = tiny_config(2);
  config.mode_shares = {0.5, 0.4};
  EXPECT_THROW(OneShotGan(config, torch::kCPU), osgan::Error);  // shares must sum to 1
  config.mode_shares = {0.5, 0.5};
  config.mode_noise_radius = 0;
  EXPECT_THROW(OneShotGan(config, torch::kCPU), osgan::Error);
}

}  // namespace
