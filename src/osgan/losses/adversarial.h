// Adversarial losses of the One-Shot GAN (Sushko et al., CVPRW 2021; spec 1.5): BCE with logits (default) or hinge
// per discriminator output, summed per branch and weighted content 0.5/N_D, layout 0.5/N_D, low-level 1.0/N_D, so
// L_adv = L_content + L_layout + 2 L_low-level up to the common 0.5/N_D factor.
#pragma once
#include <string>
#include <vector>

#include <torch/torch.h>

namespace osgan::losses {

enum class AdversarialMode { bce, hinge };

// "bce" or "hinge"; throws osgan::Error naming the value otherwise.
AdversarialMode parse_adversarial_mode(const std::string& name);

// Loss of one logit tensor (any shape). D: target_real true/false. G (for_generator): the non-saturating loss
// with the "real" target (bce) or -mean(logits) (hinge); target_real is ignored.
torch::Tensor adversarial_loss(const torch::Tensor& logits, AdversarialMode mode, bool target_real, bool for_generator);

struct BranchWeights {
  double content, layout, low_level;
};
// 0.5/N_D, 0.5/N_D, 1.0/N_D for N_D discriminator blocks.
BranchWeights branch_weights(int blocks_d);

// The three weighted branch losses: lambda_branch * sum over the branch's outputs of adversarial_loss.
struct BranchLosses {
  torch::Tensor content, layout, low_level;  // scalars, already weighted
  torch::Tensor total() const { return content + layout + low_level; }
};
BranchLosses branch_losses(const std::vector<torch::Tensor>& low_level, const std::vector<torch::Tensor>& content,
                           const std::vector<torch::Tensor>& layout, const BranchWeights& weights,
                           AdversarialMode mode, bool target_real, bool for_generator);

}  // namespace osgan::losses
