// Differentiable augmentation and feature augmentation: shapes kept, gradients (finite differences in double),
// hand-checked mirrored shift, the same transform at every scale, FA swaps exactly the sampled parts.
#include <gtest/gtest.h>

#include "osgan/models/one_shot_gan/augmentation.h"
#include "osgan/models/one_shot_gan/feature_augmentation.h"

namespace {
using namespace osgan::one_shot;
namespace F = torch::nn::functional;

AugmentParams all_ops(int64_t n, int64_t s, CropMode mode) {
  AugmentParams p;
  for (int i = 0; !(p.zoom && p.crop_mode == mode && p.flip && p.shifts_v.defined() && p.shifts_h.defined()); ++i) {
    torch::manual_seed(100 + i);  // prob 1 turns every op on except zoom (p/2) and the crop/rotate choice
    p = sample_augment(n, s, s, 1.0);
  }
  return p;
}

TEST(Augmentation, SampledParametersKeepShapesAndRanges) {
  torch::manual_seed(0);
  const auto x = torch::randn({5, 2, 16, 16});
  for (int i = 0; i < 40; ++i) {
    const auto p = sample_augment(5, 16, 16, 0.7);
    EXPECT_EQ(apply_augment(p, x).sizes(), x.sizes());
    if (p.crop_mode == CropMode::crop) {
      EXPECT_TRUE((p.crop_boxes.select(1, 2) >= 12).all().item<bool>());  // r >= 0.75
      EXPECT_TRUE((p.crop_boxes.select(1, 0) + p.crop_boxes.select(1, 2) <= 16).all().item<bool>());
    }
    if (p.crop_mode == CropMode::rotate) EXPECT_LE(p.angles.abs().max().item<double>(), 8.0);
    if (p.shifts_v.defined()) {
      EXPECT_GE(p.shifts_v.abs().min().item<int64_t>(), 1);
      EXPECT_LE(p.shifts_v.abs().max().item<int64_t>(), 5);  // round(0.3 * 16)
    }
  }
  const auto none = sample_augment(5, 16, 16, 0.0);
  EXPECT_FALSE(none.any());
  EXPECT_TRUE(apply_augment(none, x).is_same(x));
}

TEST(Augmentation, MirroredShiftByHand) {
  const auto col = torch::tensor({0.0f, 1.0f, 2.0f, 3.0f}).view({1, 1, 4, 1});
  AugmentParams p;
  p.shifts_v = torch::tensor({1}, torch::kLong);  // down 1: the row shifted out (3) fills the top
  EXPECT_TRUE(torch::equal(apply_augment(p, col).flatten(), torch::tensor({3.0f, 0.0f, 1.0f, 2.0f})));
  p.shifts_v = torch::tensor({2}, torch::kLong);  // down 2: rows (2, 3) mirrored -> (3, 2)
  EXPECT_TRUE(torch::equal(apply_augment(p, col).flatten(), torch::tensor({3.0f, 2.0f, 0.0f, 1.0f})));
  p.shifts_v = torch::tensor({-1}, torch::kLong);  // up 1
  EXPECT_TRUE(torch::equal(apply_augment(p, col).flatten(), torch::tensor({1.0f, 2.0f, 3.0f, 0.0f})));
}

// Every op is linear in x for fixed parameters, so the central difference equals the directional derivative.
TEST(Augmentation, GradientsMatchFiniteDifferences) {
  for (auto mode : {CropMode::crop, CropMode::rotate}) {
    const auto p = all_ops(2, 12, mode);
    torch::manual_seed(7);
    auto x = torch::randn({2, 1, 12, 12}, torch::kFloat64).requires_grad_(true);
    const auto w = torch::randn({2, 1, 12, 12}, torch::kFloat64), d = torch::randn({2, 1, 12, 12}, torch::kFloat64);
    auto f = [&](const torch::Tensor& in) { return (apply_augment(p, in) * w).sum(); };
    f(x).backward();
    const double analytic = (x.grad() * d).sum().item<double>();
    const double eps = 1e-4;
    torch::NoGradGuard no_grad;
    const double numeric = (f(x + eps * d) - f(x - eps * d)).item<double>() / (2 * eps);
    EXPECT_NEAR(analytic, numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << static_cast<int>(mode);
    EXPECT_GT(x.grad().abs().sum().item<double>(), 0.0);
  }
}

TEST(Augmentation, SameTransformAtEveryScale) {
  torch::manual_seed(1);
  const auto fine = torch::randn({3, 1, 16, 16});
  const auto coarse = F::avg_pool2d(fine, F::AvgPool2dFuncOptions(2));  // a consistent pyramid
  AugmentParams p;
  p.flip = true;
  p.shifts_v = torch::tensor({2, -4, 6}, torch::kLong);  // even shifts commute exactly with 2x2 average pooling
  p.shifts_h = torch::tensor({-2, 4, 0}, torch::kLong);
  const auto out = apply_augment_multiscale(p, {coarse, fine});
  EXPECT_TRUE(torch::allclose(out[0], F::avg_pool2d(out[1], F::AvgPool2dFuncOptions(2)), 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(out[1], apply_augment(p, fine)));
  // The transform is per sample: the three samples were shifted differently.
  EXPECT_FALSE(torch::allclose(out[1][0], apply_augment(p, fine)[1]));
  // With every op on (zoom, rotation), the coarse output still follows the fine one closely.
  const auto q = all_ops(3, 16, CropMode::rotate);
  const auto smooth = F::interpolate(torch::randn({3, 1, 4, 4}),
                                     F::InterpolateFuncOptions().size(std::vector<int64_t>{16, 16}).mode(torch::kBilinear).align_corners(false));
  const auto out2 = apply_augment_multiscale(q, {F::avg_pool2d(smooth, F::AvgPool2dFuncOptions(2)), smooth});
  const auto pooled = [](const torch::Tensor& t) { return F::avg_pool2d(t, F::AvgPool2dFuncOptions(2)); };
  const double err_same = (out2[0] - pooled(out2[1])).abs().mean().item<double>();
  // Baseline: the coarse scale against the fine one transformed for a different sample order.
  const double err_other = (out2[0] - pooled(out2[1].flip(0))).abs().mean().item<double>();
  EXPECT_LT(err_same, 0.3 * err_other) << err_same << " vs " << err_other;
  // Without any transform the scales come back untouched.
  const auto same = apply_augment_multiscale(AugmentParams{}, {coarse, fine});
  EXPECT_TRUE(same[0].is_same(coarse) && same[1].is_same(fine));
}

TEST(FeatureAugmentation, ContentMixAndDrop) {
  const auto x = torch::arange(3 * 4, torch::kFloat32).view({3, 4, 1, 1});  // 3 samples: the last is unpaired
  FeatureAugmentParams p;
  p.content_mix = true;
  p.content_mix_mask = torch::tensor({{0.0f, 1.0f, 0.0f, 1.0f}});  // pair (0, 1) swaps channels 1 and 3
  p.content_drop = true;
  p.content_drop_mask = torch::tensor({0.0f, 0.0f, 1.0f, 0.0f});   // channel 2 zeroed for all
  const auto y = apply_content_augment(p, x).view({3, 4});
  EXPECT_TRUE(torch::equal(y[0], torch::tensor({0.0f, 5.0f, 0.0f, 7.0f})));
  EXPECT_TRUE(torch::equal(y[1], torch::tensor({4.0f, 1.0f, 0.0f, 3.0f})));
  EXPECT_TRUE(torch::equal(y[2], torch::tensor({8.0f, 9.0f, 0.0f, 11.0f})));
}

TEST(FeatureAugmentation, LayoutRectangleSwap) {
  const auto x = torch::stack({torch::zeros({1, 6, 6}), torch::ones({1, 6, 6})});  // (2, 1, 6, 6)
  FeatureAugmentParams p;
  p.layout_rects = torch::tensor({{1, 1, 2, 3, 2}}, torch::kLong);  // rows 1..3, cols 2..3
  const auto y = apply_layout_augment(p, x);
  EXPECT_DOUBLE_EQ(y[0].sum().item<double>(), 6.0);
  EXPECT_DOUBLE_EQ(y[0][0].slice(0, 1, 4).slice(1, 2, 4).sum().item<double>(), 6.0);
  EXPECT_DOUBLE_EQ(y[1].sum().item<double>(), 36.0 - 6.0);
}

TEST(FeatureAugmentation, SampledSubsetsAndRectanglesInRange) {
  torch::manual_seed(2);
  int mixes = 0, rects = 0;
  for (int i = 0; i < 50; ++i) {
    const auto p = sample_feature_augment(4, 40, 16, 16, 0.4, 0.4);
    if (p.content_mix) {
      ++mixes;
      const auto k = p.content_mix_mask.sum(1);  // 10-30% of 40 channels
      EXPECT_TRUE((k >= 4).all().item<bool>() && (k <= 12).all().item<bool>());
    }
    const auto r = p.layout_rects;
    for (int64_t j = 0; j < r.size(0); ++j) {
      if (r[j][0].item<int64_t>() == 0) continue;
      ++rects;
      EXPECT_GE(r[j][3].item<int64_t>(), 2);  // round(0.1 * 16)
      EXPECT_LE(r[j][3].item<int64_t>(), 8);
      EXPECT_LE(r[j][1].item<int64_t>() + r[j][3].item<int64_t>(), 16);
      EXPECT_LE(r[j][2].item<int64_t>() + r[j][4].item<int64_t>(), 16);
    }
  }
  EXPECT_GT(mixes, 5);  // p = 0.4 over 50 batches
  EXPECT_LT(mixes, 35);
  EXPECT_GT(rects, 15);  // 100 pairs
}

}  // namespace
