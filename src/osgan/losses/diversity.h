// Diversity regularisation (DR) of the One-Shot GAN (Sushko et al., CVPRW 2021; spec 1.5, the published code form):
//   L_DR = -(2 / (L (L - 1))) * sum_l sum_{k<m in batch} mean|F_l[k] - F_l[m]|
// over the L generator features F_l = tanh(block output). It is <= 0 and is ADDED to the G loss times lambda_DR,
// so minimising the G loss maximises feature distances. Note the quirk kept on purpose: the normaliser counts
// levels L, not sample pairs.
#pragma once
#include <vector>

#include <torch/torch.h>

namespace osgan::losses {

// features: L >= 2 tensors (N, C_l, H_l, W_l), N >= 2. Returns a scalar <= 0.
torch::Tensor diversity_regularization(const std::vector<torch::Tensor>& features);

}  // namespace osgan::losses
