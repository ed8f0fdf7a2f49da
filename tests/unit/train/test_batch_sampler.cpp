// Which slices a GAN batch holds: uniform draws that replay the stream of earlier runs, and draws balanced across
// the modes of the training side (mode_balance), checked against their definition and by counting.
#include <gtest/gtest.h>

#include <cmath>

#include "osgan/core/error.h"
#include "osgan/train/batch_sampler.h"
#include "osgan/train/gan_train_options.h"
#include "train_test_util.h"

namespace {
using namespace osgan;

// 6 slices of mode 0, 3 of mode 1, 1 of mode 2.
const std::vector<int> kModes = {0, 1, 0, 0, 2, 1, 0, 0, 1, 0};

std::vector<double> mode_shares_of(const torch::Tensor& index, const std::vector<int>& modes, int k) {
  std::vector<double> shares(static_cast<std::size_t>(k), 0.0);
  const auto a = index.accessor<int64_t, 1>();
  for (int64_t i = 0; i < index.size(0); ++i) shares[static_cast<std::size_t>(modes[static_cast<std::size_t>(a[i])])] += 1;
  for (auto& s : shares) s /= static_cast<double>(index.size(0));
  return shares;
}

TEST(BatchSampler, ProbabilitiesFollowTheModeCountsRaisedToOneMinusTheBalance) {
  const auto flat = mode_balanced_probabilities(kModes, 0.0);
  EXPECT_TRUE(torch::allclose(flat, torch::full({10}, 0.1, torch::kFloat64)));
  const auto even = mode_balanced_probabilities(kModes, 1.0);  // each mode 1/3, shared by its slices
  EXPECT_NEAR(even[0].item<double>(), 1.0 / 18, 1e-12);
  EXPECT_NEAR(even[1].item<double>(), 1.0 / 9, 1e-12);
  EXPECT_NEAR(even[4].item<double>(), 1.0 / 3, 1e-12);
  const auto root = mode_balanced_probabilities(kModes, 0.5);  // mode k in proportion to sqrt(n_k)
  const double z = std::sqrt(6.0) + std::sqrt(3.0) + 1.0;
  EXPECT_NEAR(root[0].item<double>() * 6, std::sqrt(6.0) / z, 1e-12);
  EXPECT_NEAR(root[4].item<double>(), 1.0 / z, 1e-12);
  for (const auto& p : {flat, even, root}) EXPECT_NEAR(p.sum().item<double>(), 1.0, 1e-12);
}

TEST(BatchSampler, UniformDrawsReplayTheStreamOfEarlierRuns) {
  torch::manual_seed(7);
  const auto expected = torch::randint(10, {8}, torch::kLong);
  torch::manual_seed(7);
  EXPECT_TRUE(torch::equal(BatchSampler(10).draw(8), expected));
  torch::manual_seed(7);
  EXPECT_TRUE(torch::equal(BatchSampler(10, kModes, 0.0).draw(8), expected)) << "balance 0 must not change the draws";
}

TEST(BatchSampler, BalancedDrawsHoldEachModeInItsShare) {
  torch::manual_seed(3);
  const auto uniform = mode_shares_of(BatchSampler(10).draw(30000), kModes, 3);
  const auto even = mode_shares_of(BatchSampler(10, kModes, 1.0).draw(30000), kModes, 3);
  const auto root = mode_shares_of(BatchSampler(10, kModes, 0.5).draw(30000), kModes, 3);
  const double z = std::sqrt(6.0) + std::sqrt(3.0) + 1.0;
  // 30,000 draws: a share's standard error is under 0.003; 0.015 is five of them.
  const std::vector<double> want_uniform = {0.6, 0.3, 0.1}, want_even = {1 / 3.0, 1 / 3.0, 1 / 3.0},
                            want_root = {std::sqrt(6.0) / z, std::sqrt(3.0) / z, 1 / z};
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(uniform[k], want_uniform[k], 0.015) << "mode " << k;
    EXPECT_NEAR(even[k], want_even[k], 0.015) << "mode " << k;
    EXPECT_NEAR(root[k], want_root[k], 0.015) << "mode " << k;
  }
  // Within a mode the slices stay equally likely: the six slices of mode 0 share its third.
  const auto index = BatchSampler(10, kModes, 1.0).draw(30000);
  EXPECT_NEAR((index == 0).sum().item<int64_t>() / 30000.0, 1.0 / 18, 0.01);
  EXPECT_NEAR((index == 9).sum().item<int64_t>() / 30000.0, 1.0 / 18, 0.01);
}

TEST(BatchSampler, RefusesModesThatDoNotFitTheSlices) {
  EXPECT_THROW(BatchSampler(0), osgan::Error);
  EXPECT_THROW(BatchSampler(9, kModes, 1.0), osgan::Error);  // one mode per slice
  EXPECT_THROW(mode_balanced_probabilities(kModes, 1.5), osgan::Error);
  EXPECT_THROW(mode_balanced_probabilities({0, -1}, 1.0), osgan::Error);
  EXPECT_THROW(mode_balanced_probabilities({}, 1.0), osgan::Error);
}

TEST(BatchSampler, TheOptionsBalanceWithOrWithoutTheCondition) {
  GanTrainOptions o = test::four_slices_in_two_modes();
  // Off by default: the resolved config (and every pipeline fingerprint made before the keys) is as it was.
  EXPECT_EQ(to_yaml(o).find("mode_balance"), std::string::npos);
  EXPECT_EQ(to_yaml(o).find("condition_on_modes"), std::string::npos);

  // Balanced, unconditioned: the modes steer the draws only, so G and D are the published ones.
  o.mode_balance = 1;
  o.condition_on_modes = false;
  EXPECT_NO_THROW(validate(o));
  derive_mode_condition(o);
  EXPECT_EQ(o.gan.modes, 0);
  EXPECT_TRUE(o.gan.mode_shares.empty());
  const auto text = to_yaml(o);
  EXPECT_NE(text.find("mode_balance: 1"), std::string::npos) << text;
  EXPECT_NE(text.find("condition_on_modes: false"), std::string::npos) << text;
  const auto back = options_from_yaml_text(text, "config.yaml");
  EXPECT_EQ(back.mode_balance, 1.0);
  EXPECT_FALSE(back.condition_on_modes);
  EXPECT_EQ(back.gan.modes, 0);
  EXPECT_EQ(back.sample_modes, o.sample_modes);
  // Another architecture can be balanced, since nothing is conditioned.
  o.gan.arch = "dcgan";
  EXPECT_NO_THROW(validate(o));

  // Balanced and conditioned: the shares the GAN generates in stay the training side's, not the balanced draws'.
  o = back;
  o.out_dir = "run";  // the run folder is the command line's, not the config's
  o.condition_on_modes = true;
  derive_mode_condition(o);
  EXPECT_EQ(o.gan.modes, 2);
  EXPECT_EQ(o.gan.mode_shares, (std::vector<double>{0.25, 0.75}));

  auto bad = o;
  bad.mode_balance = 1.5;
  test::expect_options_refused(bad, "mode_balance: expected 0");
  bad = o;
  bad.samples.clear();
  bad.sample_modes.clear();
  test::expect_options_refused(bad, "mode_balance: expected each training slice's mode");
  bad = o;
  bad.condition_on_modes = false;
  bad.mode_balance = 0;
  test::expect_options_refused(bad, "condition_on_modes: false leaves the modes nothing to do");
}

}  // namespace
