// Per-output adversarial losses and their branch weighting (spec 1.5).
#include "osgan/losses/adversarial.h"

#include "osgan/core/error.h"

namespace osgan::losses {

AdversarialMode parse_adversarial_mode(const std::string& name) {
  if (name == "bce") return AdversarialMode::bce;
  if (name == "hinge") return AdversarialMode::hinge;
  fail(ErrorCode::invalid_argument, "GAN loss: expected \"bce\" or \"hinge\", got \"" + name + "\"");
}

torch::Tensor adversarial_loss(const torch::Tensor& logits, AdversarialMode mode, bool target_real, bool for_generator) {
  namespace F = torch::nn::functional;
  if (mode == AdversarialMode::bce) {
    const bool real = for_generator || target_real;  // G: non-saturating, "real" target
    return F::binary_cross_entropy_with_logits(logits, real ? torch::ones_like(logits) : torch::zeros_like(logits));
  }
  if (for_generator) return -logits.mean();
  return target_real ? torch::relu(1.0 - logits).mean() : torch::relu(1.0 + logits).mean();
}

BranchWeights branch_weights(int blocks_d) {
  const double n = static_cast<double>(blocks_d);
  return {0.5 / n, 0.5 / n, 1.0 / n};
}

BranchLosses branch_losses(const std::vector<torch::Tensor>& low_level, const std::vector<torch::Tensor>& content,
                           const std::vector<torch::Tensor>& layout, const BranchWeights& weights,
                           AdversarialMode mode, bool target_real, bool for_generator) {
  auto sum = [&](const std::vector<torch::Tensor>& outputs) {
    TORCH_CHECK(!outputs.empty(), "branch_losses: a discriminator branch produced no outputs");
    auto total = adversarial_loss(outputs.front(), mode, target_real, for_generator);
    for (std::size_t i = 1; i < outputs.size(); ++i) total = total + adversarial_loss(outputs[i], mode, target_real, for_generator);
    return total;
  };
  return {weights.content * sum(content), weights.layout * sum(layout), weights.low_level * sum(low_level)};
}

}  // namespace osgan::losses
