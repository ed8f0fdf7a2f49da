// Conversions between osgan's grey images and LibTorch tensors.
#pragma once
#include <vector>

#include <torch/torch.h>

#include "osgan/data/dataset.h"

namespace osgan {

// Stacks the chosen samples' images: (N, 1, H, W) float32 on the CPU, values as stored ([-1, 1]).
torch::Tensor samples_to_tensor(const data::Dataset& dataset, const std::vector<std::size_t>& indices);
torch::Tensor images_to_tensor(const std::vector<io::Image>& images);

// One (1, H, W) or (H, W) tensor back to an image (values unchanged).
io::Image tensor_to_image(const torch::Tensor& tensor);

}  // namespace osgan
