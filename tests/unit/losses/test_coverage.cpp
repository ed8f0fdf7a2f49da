// The coverage term (IMLE): the pool's nearest fake per real image, read at half size, and its L1 pull, by hand.
#include <gtest/gtest.h>

#include "osgan/core/error.h"
#include "osgan/losses/coverage.h"

namespace {
using osgan::losses::coverage_loss;
using osgan::losses::nearest_in_pool;

// A 2x2 image that pools to one value v: all four pixels v, or a checkerboard around v that only texture tells apart.
torch::Tensor flat(float v) { return torch::full({1, 1, 2, 2}, v); }
torch::Tensor checker(float v, float a) { return torch::tensor({v + a, v - a, v - a, v + a}).view({1, 1, 2, 2}); }

TEST(Coverage, EachRealImageGetsItsNearestPoolImageAtHalfSize) {
  const auto pool = torch::cat({flat(0.9f), flat(-0.5f), flat(0.1f), flat(0.9f)});  // (4, 1, 2, 2)
  const auto real = torch::cat({flat(0.2f), flat(-1.0f), checker(0.85f, 0.5f)});     // (3, 1, 2, 2)
  // 0.2 -> 0.1 (index 2); -1 -> -0.5 (index 1); the checkerboard pools to 0.85 -> 0.9, the first of the equal two (0).
  const auto nearest = nearest_in_pool(real, pool);
  EXPECT_TRUE(torch::equal(nearest, torch::tensor({2, 1, 0}, torch::kLong))) << nearest;
}

TEST(Coverage, LossIsTheMeanAbsoluteDifferenceAndPullsTheChosenFakeTowardItsRealImage) {
  const auto real = torch::cat({flat(0.5f), flat(-0.5f)});
  auto chosen = torch::cat({flat(0.0f), checker(-0.5f, 0.25f)}).requires_grad_(true);
  // |0 - 0.5| on 4 pixels, then 0.25 on 4 pixels: mean (4 * 0.5 + 4 * 0.25) / 8 = 0.375.
  const auto loss = coverage_loss(chosen, real);
  EXPECT_NEAR(loss.item<double>(), 0.375, 1e-6);
  loss.backward();
  // d/dx mean|x - r| = sign(x - r) / 8: the first fake is pulled up, the checkerboard toward its mean.
  EXPECT_NEAR(chosen.grad()[0][0][0][0].item<double>(), -1.0 / 8, 1e-7);
  EXPECT_NEAR(chosen.grad()[1][0][0][0].item<double>(), 1.0 / 8, 1e-7);  // -0.25 above -0.5
  EXPECT_NEAR(chosen.grad()[1][0][0][1].item<double>(), -1.0 / 8, 1e-7);  // -0.75 below -0.5
}

TEST(Coverage, MismatchedShapesAreClearErrors) {
  EXPECT_THROW(nearest_in_pool(torch::zeros({2, 1, 4, 4}), torch::zeros({3, 1, 8, 8})), osgan::Error);
  EXPECT_THROW(nearest_in_pool(torch::zeros({2, 1, 3, 3}), torch::zeros({3, 1, 3, 3})), osgan::Error);  // odd size
  EXPECT_THROW(nearest_in_pool(torch::zeros({2, 1, 4, 4}), torch::zeros({0, 1, 4, 4})), osgan::Error);  // no pool
  EXPECT_THROW(coverage_loss(torch::zeros({2, 1, 4, 4}), torch::zeros({3, 1, 4, 4})), osgan::Error);
}

}  // namespace
