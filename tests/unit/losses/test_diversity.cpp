// Diversity regularisation, code form: -(2 / (L (L-1))) sum_l sum_{k<m} mean|F_l[k] - F_l[m]|, by hand.
#include <gtest/gtest.h>

#include "osgan/losses/diversity.h"

namespace {
using osgan::losses::diversity_regularization;

TEST(Diversity, HandComputedTwoLevels) {
  // Level 0: batch 3, one value each: pairs |1-3| + |1-6| + |3-6| = 2 + 5 + 3 = 10.
  const auto f0 = torch::tensor({1.0f, 3.0f, 6.0f}).view({3, 1, 1, 1});
  // Level 1: batch 3, two values each (mean over 2): (0,0)-(1,1): 1; (0,0)-(2,-2): 2; (1,1)-(2,-2): (1 + 3)/2 = 2.
  const auto f1 = torch::tensor({0.0f, 0.0f, 1.0f, 1.0f, 2.0f, -2.0f}).view({3, 2, 1, 1});
  // L = 2 levels: -(2 / 2) * (10 + 5) = -15.
  EXPECT_NEAR(diversity_regularization({f0, f1}).item<double>(), -15.0, 1e-5);
  // L = 3 levels (f0 twice): -(2 / 6) * (10 + 5 + 10) = -25 / 3: the normaliser counts levels, not pairs.
  EXPECT_NEAR(diversity_regularization({f0, f1, f0}).item<double>(), -25.0 / 3.0, 1e-5);
}

TEST(Diversity, IdenticalSamplesGiveZeroAndGradientPushesApart) {
  auto f = torch::ones({4, 2, 3, 3});
  EXPECT_DOUBLE_EQ(diversity_regularization({f, f}).item<double>(), 0.0);
  auto a = torch::tensor({0.0f, 1.0f}).view({2, 1, 1, 1}).requires_grad_(true);
  diversity_regularization({a, a}).backward();
  // Minimising -|a0 - a1| moves a0 down and a1 up: gradient signs (+, -).
  EXPECT_GT(a.grad()[0].item<double>(), 0.0);
  EXPECT_LT(a.grad()[1].item<double>(), 0.0);
}

TEST(Diversity, RejectsDegenerateInput) {
  EXPECT_THROW(diversity_regularization({torch::zeros({2, 1, 1, 1})}), c10::Error);  // one level
  EXPECT_THROW(diversity_regularization({torch::zeros({1, 1, 1, 1}), torch::zeros({1, 1, 1, 1})}), c10::Error);
}

}  // namespace
