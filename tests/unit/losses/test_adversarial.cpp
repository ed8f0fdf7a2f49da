// Adversarial losses: BCE / hinge values by hand, branch weights 0.5/N_D, 0.5/N_D, 1.0/N_D, branch sums.
#include <gtest/gtest.h>

#include <cmath>

#include "osgan/core/error.h"
#include "osgan/losses/adversarial.h"

namespace {
using namespace osgan::losses;

TEST(AdversarialLoss, BceByHand) {
  const auto logits = torch::tensor({2.0f, -1.0f});
  auto softplus = [](double x) { return std::log1p(std::exp(x)); };
  // D real: -log sigmoid(x) = softplus(-x); D fake: softplus(x). G uses the "real" target.
  EXPECT_NEAR(adversarial_loss(logits, AdversarialMode::bce, true, false).item<double>(), (softplus(-2) + softplus(1)) / 2, 1e-6);
  EXPECT_NEAR(adversarial_loss(logits, AdversarialMode::bce, false, false).item<double>(), (softplus(2) + softplus(-1)) / 2, 1e-6);
  EXPECT_NEAR(adversarial_loss(logits, AdversarialMode::bce, false, true).item<double>(), (softplus(-2) + softplus(1)) / 2, 1e-6);
}

TEST(AdversarialLoss, HingeByHand) {
  const auto logits = torch::tensor({2.0f, -0.5f, 0.25f});
  EXPECT_NEAR(adversarial_loss(logits, AdversarialMode::hinge, true, false).item<double>(), (0 + 1.5 + 0.75) / 3, 1e-6);
  EXPECT_NEAR(adversarial_loss(logits, AdversarialMode::hinge, false, false).item<double>(), (3 + 0.5 + 1.25) / 3, 1e-6);
  EXPECT_NEAR(adversarial_loss(logits, AdversarialMode::hinge, false, true).item<double>(), -(2 - 0.5 + 0.25) / 3, 1e-6);
}

TEST(AdversarialLoss, BranchWeightsAndSums) {
  const auto w = branch_weights(7);
  EXPECT_DOUBLE_EQ(w.content, 0.5 / 7);
  EXPECT_DOUBLE_EQ(w.layout, 0.5 / 7);
  EXPECT_DOUBLE_EQ(w.low_level, 1.0 / 7);
  // Zero logits: every BCE term is log 2. 3 low-level, 4 content, 4 layout outputs as at 128 px.
  std::vector<torch::Tensor> low(3, torch::zeros({2, 1, 8, 8})), content(4, torch::zeros({2, 1, 1, 1})),
      layout(4, torch::zeros({2, 1, 4, 4}));
  const auto b = branch_losses(low, content, layout, w, AdversarialMode::bce, true, false);
  EXPECT_NEAR(b.low_level.item<double>(), 3 * std::log(2.0) / 7, 1e-6);
  EXPECT_NEAR(b.content.item<double>(), 4 * std::log(2.0) * 0.5 / 7, 1e-6);
  EXPECT_NEAR(b.layout.item<double>(), 4 * std::log(2.0) * 0.5 / 7, 1e-6);
  EXPECT_NEAR(b.total().item<double>(), (3 + 2 + 2) * std::log(2.0) / 7, 1e-6);
}

TEST(AdversarialLoss, UnknownModeIsAnError) {
  EXPECT_EQ(parse_adversarial_mode("hinge"), AdversarialMode::hinge);
  EXPECT_THROW(parse_adversarial_mode("wgan"), osgan::Error);
}

}  // namespace
