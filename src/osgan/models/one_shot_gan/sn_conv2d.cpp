// Spectral-normalised Conv2d; mirrors torch.nn.utils.spectral_norm (dim 0, one power iteration, eps 1e-12).
#include "osgan/models/one_shot_gan/sn_conv2d.h"

#include <cmath>

namespace osgan::one_shot {
namespace {
constexpr double kEps = 1e-12;  // PyTorch spectral_norm's default

torch::Tensor normalize(const torch::Tensor& x) {
  return torch::nn::functional::normalize(x, torch::nn::functional::NormalizeFuncOptions().dim(0).eps(kEps));
}
}  // namespace

SNConv2dImpl::SNConv2dImpl(const SNConv2dOptions& options_) : options(options_) { reset(); }

void SNConv2dImpl::reset() {
  const int64_t k = options.kernel_size();
  // PyTorch's Conv2d default for weight and bias alike: kaiming_uniform(a = sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
  // drawn in PyTorch's order (weight, bias, then spectral_norm's u, v).
  const double bound = 1.0 / std::sqrt(static_cast<double>(options.in_channels() * k * k));
  weight_orig = register_parameter(
      "weight_orig", torch::empty({options.out_channels(), options.in_channels(), k, k}).uniform_(-bound, bound));
  if (options.bias()) bias = register_parameter("bias", torch::empty({options.out_channels()}).uniform_(-bound, bound));
  weight_u = register_buffer("weight_u", normalize(torch::randn({options.out_channels()})));
  weight_v = register_buffer("weight_v", normalize(torch::randn({options.in_channels() * k * k})));
}

void SNConv2dImpl::power_iteration() {
  torch::NoGradGuard no_grad;
  const auto w = weight_orig.reshape({weight_orig.size(0), -1});  // (Cout, Cin*k*k)
  // In place, like PyTorch (out=u / out=v), so the buffers carry the iteration to the next call.
  weight_v.copy_(normalize(torch::mv(w.t(), weight_u)));
  weight_u.copy_(normalize(torch::mv(w, weight_v)));
}

torch::Tensor SNConv2dImpl::sigma() {
  const auto w = weight_orig.reshape({weight_orig.size(0), -1});  // (Cout, Cin*k*k)
  // Clones so later in-place buffer updates cannot corrupt the graph (PyTorch clones u, v for the same reason).
  return torch::dot(weight_u.clone(), torch::mv(w, weight_v.clone()));
}

torch::Tensor SNConv2dImpl::normalized_weight() { return weight_orig / sigma(); }

torch::Tensor SNConv2dImpl::eval_weight() {
  // One power iteration on local copies of u, v: stored vectors that are EMA averages (EMA-G) are no longer unit
  // vectors, and this re-estimates sigma without writing the buffers, so evaluation stays a pure function.
  const auto w = weight_orig.reshape({weight_orig.size(0), -1});  // (Cout, Cin*k*k)
  torch::Tensor u, v;
  {
    torch::NoGradGuard no_grad;
    v = normalize(torch::mv(w.t(), weight_u));
    u = normalize(torch::mv(w, v));
  }
  return weight_orig / torch::dot(u, torch::mv(w, v));  // sigma stays in the graph, as in training mode
}

torch::Tensor SNConv2dImpl::frozen_weight() {
  torch::NoGradGuard no_grad;
  return eval_weight().detach();
}

torch::Tensor SNConv2dImpl::forward(const torch::Tensor& x) {
  if (is_training()) power_iteration();
  const auto weight = is_training() ? normalized_weight() : eval_weight();
  return torch::conv2d(x, weight, bias, /*stride=*/1, /*padding=*/options.padding());
}

}  // namespace osgan::one_shot
