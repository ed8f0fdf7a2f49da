// MobileNetV2 (Sandler, Howard, Zhu, Zhmoginov, Chen 2018, "MobileNetV2: Inverted Residuals and Linear
// Bottlenecks", arXiv:1801.04381), one of the BrainGAN classifiers: inverted residual blocks (1x1 expand,
// 3x3 depthwise, 1x1 linear projection), ReLU6, channel counts times `width` rounded to multiples of 8.
#pragma once
#include "osgan/models/classifiers/backbone.h"

namespace osgan::models {

// Inverted residual: expand by `expansion`, depthwise 3x3 with `stride`, project linearly; residual when
// stride 1 and the channel count is kept.
class InvertedResidualImpl : public torch::nn::Module {
 public:
  InvertedResidualImpl(int64_t in_channels, int64_t out_channels, int64_t stride, int64_t expansion);
  torch::Tensor forward(const torch::Tensor& x);  // (N, C_in, H, W) -> (N, C_out, H/stride, W/stride)

 private:
  torch::nn::Sequential block{nullptr};
  bool residual_ = false;
};
TORCH_MODULE(InvertedResidual);

// Output map: (N, 1280 * max(1, width), H/32, W/32).
class MobileNetV2Impl : public BackboneImpl {
 public:
  explicit MobileNetV2Impl(double width = 1.0);
  torch::Tensor forward(const torch::Tensor& x) override;
  int64_t out_channels() const override { return out_channels_; }

 private:
  torch::nn::Sequential features{nullptr};
  int64_t out_channels_ = 0;
};
TORCH_MODULE(MobileNetV2);

// The paper's rounding: to the nearest multiple of `divisor`, never below 90% of the value.
int64_t make_divisible(double value, int64_t divisor = 8);

}  // namespace osgan::models
