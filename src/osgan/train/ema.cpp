#include "osgan/train/ema.h"

#include <algorithm>

#include "osgan/core/error.h"

namespace osgan {
namespace {

template <class Fn>
void for_each_pair(torch::nn::Module& target, const torch::nn::Module& source, Fn fn) {
  auto pair_up = [&](torch::OrderedDict<std::string, torch::Tensor> dst,
                     const torch::OrderedDict<std::string, torch::Tensor>& src) {
    if (dst.size() != src.size())
      fail(ErrorCode::invalid_argument, "EMA: expected modules of the same structure, got " +
           std::to_string(dst.size()) + " and " + std::to_string(src.size()) + " tensors");
    for (const auto& item : src) {
      auto* found = dst.find(item.key());
      if (!found || !found->sizes().equals(item.value().sizes()))
        fail(ErrorCode::invalid_argument, "EMA: tensor \"" + item.key() + "\" missing or of another shape in the copy");
      fn(*found, item.value());
    }
  };
  pair_up(target.named_parameters(/*recurse=*/true), source.named_parameters(/*recurse=*/true));
  pair_up(target.named_buffers(/*recurse=*/true), source.named_buffers(/*recurse=*/true));
}

}  // namespace

void update_ema(torch::nn::Module& ema, const torch::nn::Module& model, double decay) {
  torch::NoGradGuard no_grad;
  for_each_pair(ema, model, [decay](torch::Tensor& e, const torch::Tensor& m) {
    if (e.is_floating_point()) e.mul_(decay).add_(m, 1.0 - decay);
    else e.copy_(m);
  });
}

void copy_module_state(torch::nn::Module& target, const torch::nn::Module& source) {
  torch::NoGradGuard no_grad;
  for_each_pair(target, source, [](torch::Tensor& t, const torch::Tensor& s) { t.copy_(s); });
}

double ema_decay_at(double decay, std::int64_t step) {
  return std::min(decay, (1.0 + static_cast<double>(step)) / (10.0 + static_cast<double>(step)));
}

}  // namespace osgan
