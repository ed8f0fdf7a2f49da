// One-Shot GAN generator (spec 1.3). Init: PyTorch's defaults everywhere (SNConv2d, the first ConvTranspose2d);
// OneShotGan applies the configured weight init to the SN convs (init.h), which never touches the ConvTranspose2d.
#include "osgan/models/one_shot_gan/generator.h"

#include <algorithm>

namespace osgan::one_shot {
namespace {
namespace F = torch::nn::functional;

torch::Tensor lrelu(const torch::Tensor& x) { return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)); }

torch::Tensor upsample_nearest(const torch::Tensor& x) {  // (N, C, H, W) -> (N, C, 2H, 2W)
  return F::interpolate(x, F::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
}
}  // namespace

GeneratorBlockImpl::GeneratorBlockImpl(int in, int out, bool up) : in_channels(in), out_channels(out), upsample(up) {
  reset();
}

void GeneratorBlockImpl::reset() {
  const int mid = std::min(in_channels, out_channels);
  conv1 = register_module("conv1", SNConv2d(SNConv2dOptions(in_channels, mid, 3).padding(1)));
  conv2 = register_module("conv2", SNConv2d(SNConv2dOptions(mid, out_channels, 3).padding(1)));
  shortcut = register_module("shortcut", SNConv2d(SNConv2dOptions(in_channels, out_channels, 1).bias(false)));
}

torch::Tensor GeneratorBlockImpl::forward(const torch::Tensor& x) {
  auto h = lrelu(x);
  if (upsample) h = upsample_nearest(h);
  h = conv2(lrelu(conv1(h)));
  // A 1x1 conv commutes exactly with nearest upsampling: convolve the small map, then upsample (4x less work).
  auto s = shortcut(x);
  if (upsample) s = upsample_nearest(s);
  return h + s;
}

GeneratorImpl::GeneratorImpl(const Architecture& arch_) : arch(arch_) { reset(); }

void GeneratorImpl::reset() {
  first_linear = register_module(
      "first_linear", torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(arch.noise_dim, arch.channels_g[0],
                                                                                   arch.noise_size)));
  body = register_module("body", torch::nn::ModuleList());
  rgb_converters = register_module("rgb_converters", torch::nn::ModuleList());
  for (int i = 0; i < arch.blocks_g; ++i) {
    const auto ui = static_cast<std::size_t>(i);
    body->push_back(GeneratorBlock(arch.channels_g[ui], arch.channels_g[ui + 1], /*upsample=*/i > 0));
    rgb_converters->push_back(SNConv2d(SNConv2dOptions(arch.channels_g[ui + 1], arch.image_channels, 3).padding(1)));
  }
}

GeneratorOutput GeneratorImpl::forward(const torch::Tensor& z) {
  TORCH_CHECK(z.dim() == 4 && z.size(1) == arch.noise_dim && z.size(2) == 1 && z.size(3) == 1,
              "Generator: expected noise (N, ", arch.noise_dim, ", 1, 1), got ", z.sizes());
  GeneratorOutput out;
  auto x = first_linear(z);  // (N, C0, noise, noise)
  for (int i = 0; i < arch.blocks_g; ++i) {
    x = body->at<GeneratorBlockImpl>(static_cast<std::size_t>(i)).forward(x);  // (N, C_i, H_i, W_i)
    out.images.push_back(torch::tanh(rgb_converters->at<SNConv2dImpl>(static_cast<std::size_t>(i)).forward(x)));
    out.features.push_back(torch::tanh(x));
  }
  return out;
}

ScriptedGenerator GeneratorImpl::script() {
  ScriptedGenerator s;
  auto conv = [&](const std::string& in, const std::string& name, SNConv2dImpl& c) {
    const auto w = s.tensor(name + "_weight", c.frozen_weight());
    const auto b = c.options.bias() ? s.tensor(name + "_bias", c.bias) : std::string("None");
    const auto p = std::to_string(c.options.padding());
    return "torch.conv2d(" + in + ", " + w + ", " + b + ", [1, 1], [" + p + ", " + p + "])";
  };
  s.line("x = torch.conv_transpose2d(x, " + s.tensor("first_linear_weight", first_linear->weight) + ", " +
         s.tensor("first_linear_bias", first_linear->bias) + ")  # (N, C0, noise, noise)");
  for (int i = 0; i < arch.blocks_g; ++i) {
    auto& block = body->at<GeneratorBlockImpl>(static_cast<std::size_t>(i));
    const auto name = "body_" + std::to_string(i) + "_";
    s.line("h = " + leaky_relu_expr("x", 0.2));
    if (block.upsample) s.line("h = " + upsample_nearest2x_expr("h"));
    s.line("h = " + conv("h", name + "conv1", *block.conv1));
    s.line("h = " + leaky_relu_expr("h", 0.2));
    s.line("h = " + conv("h", name + "conv2", *block.conv2));
    s.line("s = " + conv("x", name + "shortcut", *block.shortcut));
    if (block.upsample) s.line("s = " + upsample_nearest2x_expr("s"));
    s.line("x = h + s  # block " + std::to_string(i));
  }
  auto& last = rgb_converters->at<SNConv2dImpl>(static_cast<std::size_t>(arch.blocks_g - 1));
  s.line("x = torch.tanh(" + conv("x", "to_image", last) + ")  # (N, C_img, S, S)");
  return s;
}

}  // namespace osgan::one_shot
