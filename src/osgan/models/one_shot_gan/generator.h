// The One-Shot GAN generator (Sushko, Gall, Khoreva, "One-Shot GAN", CVPRW 2021; spec 1.3): a plain transposed
// conv lifts z to the noise map, then pre-activation residual up-blocks, each with an SN 3x3 + tanh image head.
// N = batch, C = channels, H, W = spatial. Images are in [-1, 1], coarse to fine; the last is the sample.
#pragma once
#include <vector>

#include <torch/torch.h>

#include "osgan/models/one_shot_gan/architecture.h"
#include "osgan/models/one_shot_gan/sn_conv2d.h"
#include "osgan/models/scripted_generator.h"

namespace osgan::one_shot {

// G_block(in, out), mid = min(in, out): main = lrelu -> [up x2] -> SN conv3x3 -> lrelu -> SN conv3x3;
// shortcut = [up x2] -> SN conv1x1 (no bias). Block 0 does not upsample.
class GeneratorBlockImpl : public torch::nn::Cloneable<GeneratorBlockImpl> {
 public:
  GeneratorBlockImpl(int in_channels, int out_channels, bool upsample);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x);  // (N, Cin, H, W) -> (N, Cout, s*H, s*W), s = 2 if upsample

  int in_channels, out_channels;
  bool upsample;
  SNConv2d conv1{nullptr}, conv2{nullptr}, shortcut{nullptr};
};
TORCH_MODULE(GeneratorBlock);

struct GeneratorOutput {
  std::vector<torch::Tensor> images;    // blocks_g x (N, C_img, H_i, W_i), coarse to fine, tanh
  std::vector<torch::Tensor> features;  // blocks_g x (N, C_i, H_i, W_i): tanh(block output), for DR
};

// Usage: Generator g(make_architecture(config));  auto out = g(z);  // z (N, noise_dim, 1, 1)
class GeneratorImpl : public torch::nn::Cloneable<GeneratorImpl> {
 public:
  explicit GeneratorImpl(const Architecture& arch);
  void reset() override;
  GeneratorOutput forward(const torch::Tensor& z);
  // The eval-mode forward to the final image as TorchScript (spectral norms folded into constant weights).
  ScriptedGenerator script();

  Architecture arch;
  torch::nn::ConvTranspose2d first_linear{nullptr};
  torch::nn::ModuleList body{nullptr};
  torch::nn::ModuleList rgb_converters{nullptr};
};
TORCH_MODULE(Generator);

}  // namespace osgan::one_shot
