// Diversity of a generated set: the mean pairwise (1 - SSIM) over all unordered pairs (SSIM: Wang et al. 2004,
// see ssim.h). 0 means every image is identical (mode collapse); real MRI slices of one class score higher.
#pragma once
#include <torch/torch.h>

#include "osgan/metrics/ssim.h"

namespace osgan::metrics {

// images (N, 1, H, W), N >= 2; throws osgan::Error otherwise.
double compute_diversity(const torch::Tensor& images, const SsimOptions& options = {});

}  // namespace osgan::metrics
