// ResNet V2 (pre-activation). Stride sits in the first block of stages 2-4 (as in torchvision's V1); Keras'
// ResNet152V2 puts it in the last block, which changes no shape and no parameter count.
#include "osgan/models/classifiers/resnet_v2.h"

#include <cmath>

#include "osgan/core/error.h"

namespace osgan::models {
namespace nn = torch::nn;

namespace {
nn::Conv2d conv(int64_t in, int64_t out, int64_t k, int64_t stride) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, k).stride(stride).padding(k / 2).bias(false));
}
}  // namespace

int64_t scaled_channels(int64_t channels, double width) {
  return std::max<int64_t>(1, static_cast<int64_t>(std::lround(static_cast<double>(channels) * width)));
}

std::vector<int> resnet_v2_stage_blocks(int depth) {
  switch (depth) {
    case 18: return {2, 2, 2, 2};
    case 34: return {3, 4, 6, 3};
    case 50: return {3, 4, 6, 3};
    case 101: return {3, 4, 23, 3};
    case 152: return {3, 8, 36, 3};
    default:
      fail(ErrorCode::invalid_argument, "ResNetV2: expected depth 18, 34, 50, 101 or 152, got " + std::to_string(depth));
  }
}

PreActBasicBlockImpl::PreActBasicBlockImpl(int64_t in_channels, int64_t channels, int64_t stride) {
  bn1 = register_module("bn1", nn::BatchNorm2d(in_channels));
  conv1 = register_module("conv1", conv(in_channels, channels, 3, stride));
  bn2 = register_module("bn2", nn::BatchNorm2d(channels));
  conv2 = register_module("conv2", conv(channels, channels, 3, 1));
  if (stride != 1 || in_channels != channels) shortcut = register_module("shortcut", conv(in_channels, channels, 1, stride));
}

torch::Tensor PreActBasicBlockImpl::forward(const torch::Tensor& x) {
  auto pre = torch::relu(bn1(x));                  // (N, C_in, H, W), shared by both paths (He 2016 fig. 4e)
  auto skip = shortcut ? shortcut(pre) : x;        // (N, C, H/s, W/s)
  auto out = conv1(pre);
  out = conv2(torch::relu(bn2(out)));
  return out + skip;
}

PreActBottleneckImpl::PreActBottleneckImpl(int64_t in_channels, int64_t channels, int64_t stride) {
  const int64_t out_channels = channels * kExpansion;
  bn1 = register_module("bn1", nn::BatchNorm2d(in_channels));
  conv1 = register_module("conv1", conv(in_channels, channels, 1, 1));
  bn2 = register_module("bn2", nn::BatchNorm2d(channels));
  conv2 = register_module("conv2", conv(channels, channels, 3, stride));
  bn3 = register_module("bn3", nn::BatchNorm2d(channels));
  conv3 = register_module("conv3", conv(channels, out_channels, 1, 1));
  if (stride != 1 || in_channels != out_channels)
    shortcut = register_module("shortcut", conv(in_channels, out_channels, 1, stride));
}

torch::Tensor PreActBottleneckImpl::forward(const torch::Tensor& x) {
  auto pre = torch::relu(bn1(x));
  auto skip = shortcut ? shortcut(pre) : x;  // (N, 4C, H/s, W/s)
  auto out = conv1(pre);
  out = conv2(torch::relu(bn2(out)));
  out = conv3(torch::relu(bn3(out)));
  return out + skip;
}

ResNetV2Impl::ResNetV2Impl(int depth, double width) {
  if (!(width > 0)) fail(ErrorCode::invalid_argument, "ResNetV2: expected width > 0, got " + std::to_string(width));
  const auto blocks = resnet_v2_stage_blocks(depth);
  const bool bottleneck = depth >= 50;
  const int64_t stem_channels = scaled_channels(64, width);
  stem = register_module("stem", nn::Conv2d(nn::Conv2dOptions(1, stem_channels, 7).stride(2).padding(3)));
  stages = register_module("stages", nn::Sequential());
  int64_t in = stem_channels;
  const int64_t base[4] = {64, 128, 256, 512};
  for (int s = 0; s < 4; ++s) {
    const int64_t channels = scaled_channels(base[s], width);
    for (int b = 0; b < blocks[s]; ++b) {
      const int64_t stride = (s > 0 && b == 0) ? 2 : 1;
      if (bottleneck) {
        stages->push_back(PreActBottleneck(in, channels, stride));
        in = channels * PreActBottleneckImpl::kExpansion;
      } else {
        stages->push_back(PreActBasicBlock(in, channels, stride));
        in = channels;
      }
    }
  }
  post_bn = register_module("post_bn", nn::BatchNorm2d(in));
  out_channels_ = in;
}

torch::Tensor ResNetV2Impl::forward(const torch::Tensor& x) {
  auto h = stem(x);                                                        // (N, 64w, H/2, W/2)
  h = torch::max_pool2d(h, /*kernel_size=*/3, /*stride=*/2, /*padding=*/1);  // (N, 64w, H/4, W/4)
  h = stages->forward(h);                                                  // (N, C_out, H/32, W/32)
  return torch::relu(post_bn(h));
}

}  // namespace osgan::models
