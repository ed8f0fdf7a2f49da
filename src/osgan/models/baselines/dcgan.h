// DCGAN baseline of BrainGAN (Alrashedy et al., Sensors 2022, 22(11) 4297; DCGAN: Radford et al., ICLR 2016).
// The paper's layer tables could not be verified, so this follows the third-party Keras template described in
// the spec (section 2.3), scaled to image_size S (a multiple of 8) and the channel bases ch_G, ch_D:
//   G: z -> "dense" to (8 ch_G, S/8, S/8), LeakyReLU 0.2 -> 3 x [ConvT k4 s2, BatchNorm, LeakyReLU 0.2]
//      -> Conv3x3 to 1 channel, tanh.                       (ch_G = 32, S = 128: the template's 16x16x256, 3 x 128)
//   D: Conv3x3 2 ch_D -> 3 strided Conv3x3 (4, 4, 8 ch_D), LeakyReLU 0.2 -> Dropout 0.4 -> Linear to one logit.
#pragma once
#include <memory>

#include <torch/torch.h>

#include "osgan/models/gan_config.h"
#include "osgan/models/scripted_generator.h"

namespace osgan {

// N = batch, Z = noise_dim, S = image_size.
class DcganGeneratorImpl : public torch::nn::Module {
 public:
  explicit DcganGeneratorImpl(const GanConfig& config);
  torch::Tensor forward(const torch::Tensor& z);  // (N, Z, 1, 1) -> (N, 1, S, S) in [-1, 1]
  ScriptedGenerator script();                     // the eval-mode forward (BatchNorm on running statistics)

 private:
  // A transposed conv with kernel S/8 on the 1x1 noise is exactly the template's Dense + reshape.
  torch::nn::ConvTranspose2d project{nullptr};
  torch::nn::Sequential up{nullptr};
  torch::nn::Conv2d to_image{nullptr};
};
TORCH_MODULE(DcganGenerator);

class DcganDiscriminatorImpl : public torch::nn::Module {
 public:
  explicit DcganDiscriminatorImpl(const GanConfig& config);
  torch::Tensor forward(const torch::Tensor& x);  // (N, 1, S, S) -> (N, 1) logits

 private:
  torch::nn::Sequential features{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear decision{nullptr};
};
TORCH_MODULE(DcganDiscriminator);

}  // namespace osgan
