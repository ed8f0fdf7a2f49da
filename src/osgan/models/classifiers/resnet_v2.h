// ResNet V2, the pre-activation residual network (He, Zhang, Ren, Sun 2016, "Identity Mappings in Deep
// Residual Networks", arXiv:1603.05027): BN -> ReLU -> conv inside every block, identity shortcuts, and a final
// BN -> ReLU after the last stage. Depths 18/34 use basic blocks, 50/101/152 bottleneck blocks (ResNet152V2 is
// the seed study's classifier). One input channel; `width` scales every channel count for cheap CPU runs.
#pragma once
#include <vector>

#include "osgan/models/classifiers/backbone.h"

namespace osgan::models {

// Basic pre-activation block: BN-ReLU-conv3x3(stride)-BN-ReLU-conv3x3, plus the shortcut.
class PreActBasicBlockImpl : public torch::nn::Module {
 public:
  PreActBasicBlockImpl(int64_t in_channels, int64_t channels, int64_t stride);
  torch::Tensor forward(const torch::Tensor& x);  // (N, C_in, H, W) -> (N, C, H/stride, W/stride)

 private:
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, shortcut{nullptr};  // shortcut: 1x1 when the shape changes
};
TORCH_MODULE(PreActBasicBlock);

// Bottleneck pre-activation block: BN-ReLU-conv1x1-BN-ReLU-conv3x3(stride)-BN-ReLU-conv1x1 (4x channels).
class PreActBottleneckImpl : public torch::nn::Module {
 public:
  PreActBottleneckImpl(int64_t in_channels, int64_t channels, int64_t stride);
  torch::Tensor forward(const torch::Tensor& x);  // (N, C_in, H, W) -> (N, 4C, H/stride, W/stride)
  static constexpr int64_t kExpansion = 4;

 private:
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr}, shortcut{nullptr};
};
TORCH_MODULE(PreActBottleneck);

// depth: 18, 34, 50, 101 or 152. Output map: (N, 512 * width * expansion, H/32, W/32).
class ResNetV2Impl : public BackboneImpl {
 public:
  ResNetV2Impl(int depth, double width = 1.0);
  torch::Tensor forward(const torch::Tensor& x) override;
  int64_t out_channels() const override { return out_channels_; }

 private:
  torch::nn::Conv2d stem{nullptr};      // 7x7 stride 2, then 3x3 max pool stride 2
  torch::nn::Sequential stages{nullptr};
  torch::nn::BatchNorm2d post_bn{nullptr};  // V2: the last block's output is not yet normalised
  int64_t out_channels_ = 0;
};
TORCH_MODULE(ResNetV2);

// Blocks per stage for a depth; throws osgan::Error for an unsupported depth.
std::vector<int> resnet_v2_stage_blocks(int depth);

// max(1, round(channels * width)): the channel count after the width multiplier.
int64_t scaled_channels(int64_t channels, double width);

}  // namespace osgan::models
