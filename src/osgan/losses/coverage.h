// Coverage (osgan extension, not in the published One-Shot GAN): Implicit Maximum Likelihood Estimation (Li and
// Malik, "Implicit Maximum Likelihood Estimation", 2018) as a term of G's loss. An adversarial loss is content when
// every sample looks real, even if whole modes of the data get no sample; IMLE asks the reverse: for every real
// image, the nearest of a pool of fakes is pulled toward it, so no real image is left without a generated neighbour.
// Nearness is read at half the image size (layout and contrast, the modes' traits, not texture).
//   L_cov = mean_i mean |G(z_{j(i)}) - x_i|,   j(i) = argmin_j || pool2(G(z_j)) - pool2(x_i) ||^2 over the pool
#pragma once
#include <torch/torch.h>

namespace osgan::losses {

// For each real image, the index of the nearest pool image after 2x2 average pooling (squared L2; the first of
// equals). real (N, C, S, S), pool (P, C, S, S), S even -> (N) int64.
torch::Tensor nearest_in_pool(const torch::Tensor& real, const torch::Tensor& pool);

// The mean absolute difference between each real image and the fake chosen for it: (N, C, S, S) twice -> scalar.
torch::Tensor coverage_loss(const torch::Tensor& chosen_fakes, const torch::Tensor& real);

}  // namespace osgan::losses
