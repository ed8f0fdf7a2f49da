// The feature extractor part of a classifier: an image batch in, a feature map out. The classifier head
// (classifier.h) pools or flattens that map, so every backbone works at any input size.
#pragma once
#include <torch/torch.h>

namespace osgan::models {

// N = batch, C = channels, H, W = spatial.
class BackboneImpl : public torch::nn::Module {
 public:
  // x: (N, 1, H, W) in [-1, 1] -> feature map (N, C_out, h, w).
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
  virtual int64_t out_channels() const = 0;
};

}  // namespace osgan::models
