// How a mode-conditioned GAN (GanConfig::modes > 0) reads its mode: as noise drawn around a fixed mean per mode.
// The means are a pure function of (modes, noise_dim, radius), so G, its exported TorchScript and `osgan generate`
// need no extra input or weights: a mode is a region of the noise space. The noise stays standard normal around
// each mean, so within a mode G keeps the variety of the unconditioned model.
#pragma once
#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "osgan/models/gan_config.h"

namespace osgan {

// (modes, noise_dim): row k is mode k's noise mean, of norm `radius`. Fixed random directions (their own seed),
// nearly orthogonal for noise_dim >> modes.
torch::Tensor mode_noise_means(int modes, int noise_dim, double radius);

// z (N, Z, 1, 1) standard normal, modes (N,) int64 in [0, config.modes): z moved to each row's mode mean.
torch::Tensor with_mode(const torch::Tensor& z, const torch::Tensor& modes, const GanConfig& config);

// The mode of each of `count` images in file order, in `shares` at every prefix (largest deficit first, ties to
// the lower mode): the first n images of a folder hold each mode in its share to within one image.
std::vector<std::int64_t> interleaved_modes(const std::vector<double>& shares, std::int64_t count);

// Checks modes, shares (one per mode, positive, summing to 1) and radius; throws osgan::Error naming the key.
void validate_mode_condition(const GanConfig& config);

}  // namespace osgan
