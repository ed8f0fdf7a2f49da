// Vanilla GAN baseline of BrainGAN (Alrashedy et al., Sensors 2022; GAN: Goodfellow et al., NeurIPS 2014):
// fully connected generator and discriminator. The paper's layer table could not be verified; this is the
// common multilayer-perceptron design, with widths scaled by ch_G / ch_D (32: 256-512-1024 and 512-256):
//   G: z -> Linear 8 ch_G -> 16 ch_G -> 32 ch_G (LeakyReLU 0.2) -> Linear S*S, tanh, reshape (N, 1, S, S).
//   D: flatten -> Linear 16 ch_D -> 8 ch_D (LeakyReLU 0.2, Dropout 0.3) -> Linear to one logit.
#pragma once
#include <memory>

#include <torch/torch.h>

#include "osgan/models/gan_config.h"
#include "osgan/models/scripted_generator.h"

namespace osgan {

// N = batch, Z = noise_dim, S = image_size.
class VanillaGeneratorImpl : public torch::nn::Module {
 public:
  explicit VanillaGeneratorImpl(const GanConfig& config);
  torch::Tensor forward(const torch::Tensor& z);  // (N, Z, 1, 1) -> (N, 1, S, S) in [-1, 1]
  ScriptedGenerator script();                     // the same forward as TorchScript

 private:
  int image_size_;
  torch::nn::Sequential body{nullptr};
};
TORCH_MODULE(VanillaGenerator);

class VanillaDiscriminatorImpl : public torch::nn::Module {
 public:
  explicit VanillaDiscriminatorImpl(const GanConfig& config);
  torch::Tensor forward(const torch::Tensor& x);  // (N, 1, S, S) -> (N, 1) logits

 private:
  torch::nn::Sequential body{nullptr};
};
TORCH_MODULE(VanillaDiscriminator);

}  // namespace osgan
