#include "osgan/models/cascade/upsampler.h"

#include <string>

#include "osgan/core/error.h"

namespace osgan::cascade {
namespace {
namespace F = torch::nn::functional;

torch::Tensor lrelu(const torch::Tensor& x) { return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)); }

torch::nn::Conv2d conv3x3(int in, int out) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1));
}
}  // namespace

void validate(const UpsamplerConfig& config) {
  if (config.stages < 1 || config.stages > 4)
    fail(ErrorCode::invalid_argument, "upsampler stages: expected 1 to 4 (x2 each), got " + std::to_string(config.stages));
  if (static_cast<int>(config.channels.size()) != config.stages + 1)
    fail(ErrorCode::invalid_argument, "upsampler channels: expected " + std::to_string(config.stages + 1) +
         " entries (the input size, then one per stage), got " + std::to_string(config.channels.size()));
  for (const int c : config.channels)
    if (c < 1 || c > 1024)
      fail(ErrorCode::invalid_argument, "upsampler channels: expected 1 to 1024 each, got " + std::to_string(c));
  if (config.residual_blocks < 0 || config.residual_blocks > 32)
    fail(ErrorCode::invalid_argument, "upsampler residual_blocks: expected 0 to 32, got " +
         std::to_string(config.residual_blocks));
}

torch::Tensor enlarge_bilinear(const torch::Tensor& x, int factor) {
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{x.size(2) * factor, x.size(3) * factor})
                               .mode(torch::kBilinear)
                               .align_corners(false));
}

ResidualBlockImpl::ResidualBlockImpl(int channels) {
  conv_a = register_module("conv_a", conv3x3(channels, channels));
  conv_b = register_module("conv_b", conv3x3(channels, channels));
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) { return x + conv_b(lrelu(conv_a(lrelu(x)))); }

UpStageImpl::UpStageImpl(int in_channels, int out_channels) {
  conv_a = register_module("conv_a", conv3x3(in_channels, out_channels));
  conv_b = register_module("conv_b", conv3x3(out_channels, out_channels));
}

torch::Tensor UpStageImpl::forward(const torch::Tensor& x) {
  const auto h = F::interpolate(lrelu(x), F::InterpolateFuncOptions()
                                              .size(std::vector<int64_t>{x.size(2) * 2, x.size(3) * 2})
                                              .mode(torch::kNearest));  // (N, Cin, 2H, 2W)
  return conv_b(lrelu(conv_a(h)));
}

UpsamplerImpl::UpsamplerImpl(const UpsamplerConfig& config_) : config(config_) {
  validate(config);
  head = register_module("head", conv3x3(1, config.channels[0]));
  residual = register_module("residual", torch::nn::ModuleList());
  for (int i = 0; i < config.residual_blocks; ++i) residual->push_back(ResidualBlock(config.channels[0]));
  up = register_module("up", torch::nn::ModuleList());
  for (int k = 0; k < config.stages; ++k)
    up->push_back(UpStage(config.channels[static_cast<std::size_t>(k)], config.channels[static_cast<std::size_t>(k) + 1]));
  tail = register_module("tail", conv3x3(config.channels.back(), 1));
}

torch::Tensor UpsamplerImpl::forward(const torch::Tensor& x) {
  TORCH_CHECK(x.dim() == 4 && x.size(1) == 1, "Upsampler: expected (N, 1, H, W), got ", x.sizes());
  auto h = head(x);  // (N, C0, s, s)
  for (const auto& block : *residual) h = block->as<ResidualBlockImpl>()->forward(h);
  for (const auto& stage : *up) h = stage->as<UpStageImpl>()->forward(h);  // (N, C_k, 2^k s, 2^k s)
  return enlarge_bilinear(x, factor()) + tail(lrelu(h));  // (N, 1, f s, f s)
}

}  // namespace osgan::cascade
