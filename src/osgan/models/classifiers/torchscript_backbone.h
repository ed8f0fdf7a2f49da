// A user's TorchScript module (e.g. a pretrained network exported with torch.jit.script/trace) used as the
// classifier's feature extractor, since osgan cannot download ImageNet weights. Its parameters and buffers are
// registered here too, so optimizers, `to(device)` and osgan's checkpoints see them.
#pragma once
#include <string>

#include <torch/script.h>

#include "osgan/models/classifiers/backbone.h"

namespace osgan::models {

// The module must map (N, 1, H, W) in [-1, 1] to (N, C) or (N, C, h, w). With `frozen`, its parameters get
// requires_grad = false and it stays in eval mode (batch-norm statistics untouched) during training.
class TorchScriptBackboneImpl : public BackboneImpl {
 public:
  TorchScriptBackboneImpl(const std::string& path, bool frozen, int64_t image_size);
  torch::Tensor forward(const torch::Tensor& x) override;  // always (N, C, h, w)
  int64_t out_channels() const override { return out_channels_; }
  void train(bool on = true) override;
  bool frozen() const { return frozen_; }

 private:
  torch::jit::script::Module module_;
  bool frozen_ = true;
  int64_t out_channels_ = 0;
};
TORCH_MODULE(TorchScriptBackbone);

}  // namespace osgan::models
