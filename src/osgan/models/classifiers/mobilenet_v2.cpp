// MobileNetV2 with the paper's table 2 stage settings (t, c, n, s); a one-channel stem.
#include "osgan/models/classifiers/mobilenet_v2.h"

#include <algorithm>

#include "osgan/core/error.h"

namespace osgan::models {
namespace nn = torch::nn;

namespace {
// conv -> BN -> (ReLU6 unless linear)
void add_conv_bn(nn::Sequential& seq, int64_t in, int64_t out, int64_t k, int64_t stride, int64_t groups, bool relu) {
  seq->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, k).stride(stride).padding(k / 2).groups(groups).bias(false)));
  seq->push_back(nn::BatchNorm2d(out));
  if (relu) seq->push_back(nn::Functional([](const torch::Tensor& t) { return torch::clamp(t, 0, 6); }));
}
}  // namespace

int64_t make_divisible(double value, int64_t divisor) {
  int64_t rounded = std::max<int64_t>(divisor, static_cast<int64_t>(value + divisor / 2.0) / divisor * divisor);
  if (static_cast<double>(rounded) < 0.9 * value) rounded += divisor;
  return rounded;
}

InvertedResidualImpl::InvertedResidualImpl(int64_t in_channels, int64_t out_channels, int64_t stride, int64_t expansion) {
  const int64_t hidden = in_channels * expansion;
  block = nn::Sequential();
  if (expansion != 1) add_conv_bn(block, in_channels, hidden, 1, 1, 1, /*relu=*/true);
  add_conv_bn(block, hidden, hidden, 3, stride, /*groups=*/hidden, /*relu=*/true);
  add_conv_bn(block, hidden, out_channels, 1, 1, 1, /*relu=*/false);  // linear bottleneck
  block = register_module("block", block);
  residual_ = stride == 1 && in_channels == out_channels;
}

torch::Tensor InvertedResidualImpl::forward(const torch::Tensor& x) {
  return residual_ ? x + block->forward(x) : block->forward(x);
}

MobileNetV2Impl::MobileNetV2Impl(double width) {
  if (!(width > 0)) fail(ErrorCode::invalid_argument, "MobileNetV2: expected width > 0, got " + std::to_string(width));
  struct Stage { int64_t t, c, n, s; };
  const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                          {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  features = nn::Sequential();
  int64_t in = make_divisible(32 * width);
  add_conv_bn(features, 1, in, 3, 2, 1, true);
  for (const auto& st : stages) {
    const int64_t out = make_divisible(static_cast<double>(st.c) * width);
    for (int64_t i = 0; i < st.n; ++i) {
      features->push_back(InvertedResidual(in, out, i == 0 ? st.s : 1, st.t));
      in = out;
    }
  }
  out_channels_ = make_divisible(1280 * std::max(1.0, width));
  add_conv_bn(features, in, out_channels_, 1, 1, 1, true);
  features = register_module("features", features);
}

torch::Tensor MobileNetV2Impl::forward(const torch::Tensor& x) {
  return features->forward(x);  // (N, 1, H, W) -> (N, C_out, H/32, W/32)
}

}  // namespace osgan::models
