// The cascade's second stage: a network that enlarges a generated slice by 2^stages (32 -> 128 px with 2 stages),
// trained on the class's own training slices shrunk to the GAN's size and back (issue 25, part 3: "a conditional
// upsampler trained on the training side's own images"). The GAN keeps the layout and contrast it learned at
// 32 px; the upsampler adds the detail a 128 px slice has and a 32 px one cannot hold.
//
//   x (N, 1, s, s) -> head conv3x3 -> residual blocks at s -> [nearest x2 -> conv3x3 -> conv3x3] per stage
//                  -> tail conv3x3 = detail (N, 1, 2^k s, 2^k s);   output = bilinear(x) + detail
//
// Learning only the detail over a bilinear enlargement (as VDSR, Kim et al., CVPR 2016) makes an untrained
// upsampler a bilinear one, and keeps the output's low frequencies those of the GAN's image. Plain convolutions,
// LeakyReLU 0.2, PyTorch's default init; parameter names match reference/osgan_ref/upsampler.py key by key.
#pragma once
#include <vector>

#include <torch/torch.h>

namespace osgan::cascade {

struct UpsamplerConfig {
  int stages = 2;                      // x2 each: 2 stages take 32 px to 128 px
  std::vector<int> channels{64, 32, 16};  // at the input size, then after each stage (stages + 1 entries)
  int residual_blocks = 4;             // at the input size, where convolutions are cheapest
};

// Throws osgan::Error (invalid_argument) naming the field that is out of range.
void validate(const UpsamplerConfig& config);

class ResidualBlockImpl : public torch::nn::Module {
 public:
  explicit ResidualBlockImpl(int channels);
  torch::Tensor forward(const torch::Tensor& x);  // (N, C, H, W) -> same: x + conv_b(lrelu(conv_a(lrelu(x))))
  torch::nn::Conv2d conv_a{nullptr}, conv_b{nullptr};
};
TORCH_MODULE(ResidualBlock);

class UpStageImpl : public torch::nn::Module {
 public:
  UpStageImpl(int in_channels, int out_channels);
  torch::Tensor forward(const torch::Tensor& x);  // (N, Cin, H, W) -> (N, Cout, 2H, 2W)
  torch::nn::Conv2d conv_a{nullptr}, conv_b{nullptr};
};
TORCH_MODULE(UpStage);

class UpsamplerImpl : public torch::nn::Module {
 public:
  explicit UpsamplerImpl(const UpsamplerConfig& config);
  torch::Tensor forward(const torch::Tensor& x);  // (N, 1, s, s) in [-1, 1] -> (N, 1, f s, f s), f = 2^stages
  int factor() const { return 1 << config.stages; }
  UpsamplerConfig config;

 private:
  torch::nn::Conv2d head{nullptr}, tail{nullptr};
  torch::nn::ModuleList residual{nullptr}, up{nullptr};
};
TORCH_MODULE(Upsampler);

// (N, C, s, s) -> (N, C, f s, f s): the bilinear enlargement the detail is added to (half-pixel centres).
torch::Tensor enlarge_bilinear(const torch::Tensor& x, int factor);

}  // namespace osgan::cascade
