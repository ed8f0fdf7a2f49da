// Weight initialisation of the One-Shot GAN's spectral-norm convolutions: "as-run" or "normal-0.02".
//
// The published code calls weights_init (N(0, 0.02) on every Conv2d weight) after moving the models with .to("cuda").
// For a spectral-norm conv, .to() gives weight_orig new storage while m.weight still points at the old one, so the
// N(0, 0.02) write never reaches the trained weights: the published models start from PyTorch's default conv init,
// U(+-1/sqrt(fan_in)). Under spectral norm the weight scale sets Adam's relative step (about lr / |w|), so the
// choice changes the effective learning rate of every layer by 2-10x. "as-run" (the default) is what the published
// models trained from; "normal-0.02" is weights_init as written.
#pragma once
#include <string>

#include <torch/torch.h>

namespace osgan::one_shot {

enum class WeightInit { as_run, normal_002 };

// "as-run" or "normal-0.02"; throws osgan::Error (invalid_argument) naming the expected values otherwise.
WeightInit parse_weight_init(const std::string& name);

// Re-draws the weight_orig of every SNConv2d inside `module` for `init` (as_run: U(+-1/sqrt(fan_in)), which SNConv2d
// already starts from, so as_run leaves a fresh module unchanged). Biases, u, v and other layers are untouched.
void initialize_weights(torch::nn::Module& module, WeightInit init);

}  // namespace osgan::one_shot
