// Conv2d with spectral normalisation (Miyato et al., "Spectral Normalization for Generative Adversarial Networks",
// ICLR 2018), written out because LibTorch has no torch.nn.utils.spectral_norm. Parameter and buffer names match
// PyTorch's (weight_orig, bias, weight_u, weight_v) so checkpoints and the Python mirror line up key by key.
#pragma once
#include <torch/torch.h>

namespace osgan::one_shot {

struct SNConv2dOptions {
  SNConv2dOptions(int64_t in_channels, int64_t out_channels, int64_t kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  TORCH_ARG(int64_t, kernel_size);
  TORCH_ARG(int64_t, padding) = 0;
  TORCH_ARG(bool, bias) = true;
};

// Usage: SNConv2d conv(SNConv2dOptions(32, 64, 3).padding(1));  auto y = conv(x);  // (N, 32, H, W) -> (N, 64, H, W)
// In training mode each forward runs one power iteration (under no_grad, updating weight_u / weight_v) and then
// uses W / sigma with sigma = u^T W v kept in the autograd graph. In eval mode one power iteration runs on copies of
// the stored u, v (never written back), so evaluation does not change the module's state.
// weight_orig and bias start as PyTorch's Conv2d default, U(+-1/sqrt(fan_in)): what the published models trained from
// (init.h explains why); init.h also has the N(0, 0.02) weights_init as written.
class SNConv2dImpl : public torch::nn::Cloneable<SNConv2dImpl> {
 public:
  explicit SNConv2dImpl(const SNConv2dOptions& options);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x);  // (N, Cin, H, W) -> (N, Cout, H', W')

  // The normalised weight for the current u, v (no power iteration): (Cout, Cin, k, k).
  torch::Tensor normalized_weight();
  // sigma = u^T W v for the stored u, v (an estimate of W's largest singular value).
  torch::Tensor sigma();
  // The weight eval mode convolves with, detached: for export, where it becomes a constant. (Cout, Cin, k, k).
  torch::Tensor frozen_weight();

  SNConv2dOptions options;
  torch::Tensor weight_orig, bias, weight_u, weight_v;

 private:
  void power_iteration();
  torch::Tensor eval_weight();  // W / sigma for eval mode, without touching the buffers
};
TORCH_MODULE(SNConv2d);

}  // namespace osgan::one_shot
