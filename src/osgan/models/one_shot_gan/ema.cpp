// EMA update over parameters and buffers, in place and without autograd.
#include "osgan/models/one_shot_gan/ema.h"

#include "osgan/core/error.h"

namespace osgan::one_shot {
namespace {
void blend(torch::OrderedDict<std::string, torch::Tensor> ema, const torch::OrderedDict<std::string, torch::Tensor>& model,
           double decay) {
  for (const auto& item : model) {
    auto* target = ema.find(item.key());
    if (target == nullptr)
      fail(ErrorCode::invalid_argument, "update_ema: the EMA model has no entry \"" + item.key() + "\" (models differ)");
    if (target->sizes() != item.value().sizes())
      fail(ErrorCode::invalid_argument, "update_ema: \"" + item.key() + "\" has different shapes in the EMA and the model");
    if (target->is_floating_point()) {
      target->mul_(decay).add_(item.value(), 1.0 - decay);
    } else {
      target->copy_(item.value());  // counters (e.g. num_batches_tracked) are copied, not averaged
    }
  }
}
}  // namespace

void update_ema(torch::nn::Module& ema, const torch::nn::Module& model, double decay) {
  torch::NoGradGuard no_grad;
  blend(ema.named_parameters(), model.named_parameters(), decay);
  blend(ema.named_buffers(), model.named_buffers(), decay);
}

}  // namespace osgan::one_shot
