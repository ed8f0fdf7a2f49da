// SNConv2d: sigma converges to the largest singular value, eval mode leaves u / v alone, PyTorch key names,
// gradients flow through sigma.
#include <gtest/gtest.h>

#include "osgan/models/one_shot_gan/sn_conv2d.h"

namespace {
using osgan::one_shot::SNConv2d;
using osgan::one_shot::SNConv2dOptions;

TEST(SNConv2d, SigmaConvergesToLargestSingularValue) {
  torch::manual_seed(3);
  SNConv2d conv(SNConv2dOptions(6, 10, 3).padding(1));
  const auto x = torch::randn({1, 6, 5, 5});
  for (int i = 0; i < 200; ++i) conv(x);  // one power iteration per training forward
  const auto svd = std::get<1>(torch::svd(conv->weight_orig.detach().reshape({10, -1})));  // (10) singular values
  EXPECT_NEAR(conv->sigma().item<double>(), svd[0].item<double>(), 1e-3 * svd[0].item<double>());
  // The normalised weight then has spectral norm 1.
  const auto sn = std::get<1>(torch::svd(conv->normalized_weight().detach().reshape({10, -1})));
  EXPECT_NEAR(sn[0].item<double>(), 1.0, 1e-3);
}

TEST(SNConv2d, EvalModeRunsNoPowerIteration) {
  torch::manual_seed(4);
  SNConv2d conv(SNConv2dOptions(3, 4, 3));
  const auto u = conv->weight_u.clone();
  conv->eval();
  conv(torch::randn({2, 3, 6, 6}));
  EXPECT_TRUE(torch::equal(u, conv->weight_u));
  conv->train();
  conv(torch::randn({2, 3, 6, 6}));
  EXPECT_FALSE(torch::equal(u, conv->weight_u));
}

TEST(SNConv2d, EvalModeRescalesAveragedVectorsWithoutWritingThem) {
  torch::manual_seed(8);
  SNConv2d conv(SNConv2dOptions(4, 6, 3));
  const auto x = torch::randn({1, 4, 5, 5});
  for (int i = 0; i < 100; ++i) conv(x);  // converge u, v
  conv->eval();
  const auto reference = conv(x);
  // EMA-averaged vectors are shorter than unit length; eval mode must not let that rescale W.
  conv->weight_u.mul_(0.8);
  conv->weight_v.mul_(0.9);
  const auto u = conv->weight_u.clone();
  const auto rescaled = conv(x);
  EXPECT_TRUE(torch::allclose(rescaled, reference, 1e-4, 1e-5)) << (rescaled - reference).abs().max();
  EXPECT_TRUE(torch::equal(u, conv->weight_u));
}

TEST(SNConv2d, KeyNamesMatchPyTorchSpectralNorm) {
  SNConv2d conv(SNConv2dOptions(3, 4, 1));
  const auto params = conv->named_parameters();
  const auto buffers = conv->named_buffers();
  EXPECT_TRUE(params.contains("weight_orig") && params.contains("bias"));
  EXPECT_TRUE(buffers.contains("weight_u") && buffers.contains("weight_v"));
  EXPECT_EQ(buffers["weight_u"].numel(), 4);
  EXPECT_EQ(buffers["weight_v"].numel(), 3);
  EXPECT_NEAR(buffers["weight_u"].norm().item<double>(), 1.0, 1e-6);
  SNConv2d no_bias(SNConv2dOptions(3, 4, 1).bias(false));
  EXPECT_FALSE(no_bias->named_parameters().contains("bias"));
}

TEST(SNConv2d, GradientIncludesTheSigmaTerm) {
  // For fixed u, v, W / sigma(W) is invariant to scaling W, so with sigma in the graph the gradient of any loss is
  // orthogonal to W: <grad, W> = 0. A detached sigma would give <grad, W> = 2 * loss != 0 here.
  torch::manual_seed(5);
  SNConv2d conv(SNConv2dOptions(4, 5, 3).padding(1));
  conv->eval();  // fixed u, v: the output is exactly scale invariant in W
  const auto x = torch::randn({2, 4, 6, 6});
  conv(x).pow(2).sum().backward();
  const auto g = conv->weight_orig.grad();
  ASSERT_TRUE(g.defined());
  EXPECT_GT(g.abs().max().item<double>(), 1e-6);
  const double radial = (g * conv->weight_orig).sum().item<double>();
  EXPECT_NEAR(radial, 0.0, 1e-4 * g.norm().item<double>() * conv->weight_orig.norm().item<double>());
}

}  // namespace
