// The small custom CNN of the BrainGAN study (Hussein et al. 2022, Sensors 22:4297): four blocks of
// conv3x3 -> BN -> ReLU -> 2x2 max pool with 32, 64, 128, 128 channels (times `width`). Cheap on a CPU.
#pragma once
#include "osgan/models/classifiers/backbone.h"

namespace osgan::models {

// Output map: (N, 128 * width, H/16, W/16).
class SimpleCnnImpl : public BackboneImpl {
 public:
  explicit SimpleCnnImpl(double width = 1.0);
  torch::Tensor forward(const torch::Tensor& x) override;
  int64_t out_channels() const override { return out_channels_; }

 private:
  torch::nn::Sequential features{nullptr};
  int64_t out_channels_ = 0;
};
TORCH_MODULE(SimpleCnn);

}  // namespace osgan::models
