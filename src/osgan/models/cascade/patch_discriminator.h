// A small patch discriminator for the cascade's upsampler: it judges local texture only (a 22 px receptive field
// at the output size), so its loss sharpens detail that an L1 loss alone averages into blur, without any say over
// the layout, which the GAN's 32 px image already fixes.
//
//   x (N, 1, H, W) -> SN conv3x3 C0, lrelu, avgpool2 -> SN conv3x3 C1, lrelu, avgpool2 -> SN conv3x3 C2, lrelu
//                  -> SN conv3x3 1 = logits (N, 1, H/4, W/4)
//
// Spectral normalisation as in the One-Shot GAN's discriminator (models/one_shot_gan/sn_conv2d.h).
#pragma once
#include <torch/torch.h>

#include "osgan/models/one_shot_gan/sn_conv2d.h"

namespace osgan::cascade {

class PatchDiscriminatorImpl : public torch::nn::Module {
 public:
  explicit PatchDiscriminatorImpl(int base_channels = 32);
  torch::Tensor forward(const torch::Tensor& x);  // (N, 1, H, W) -> (N, 1, H/4, W/4) logits

 private:
  one_shot::SNConv2d conv0{nullptr}, conv1{nullptr}, conv2{nullptr}, out{nullptr};
};
TORCH_MODULE(PatchDiscriminator);

}  // namespace osgan::cascade
