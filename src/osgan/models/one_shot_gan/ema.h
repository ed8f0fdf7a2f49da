// Exponential moving average of a model's weights (the One-Shot GAN's EMA generator, spec 1.8), over all parameters
// AND buffers (incl. the spectral-norm u, v): ema = decay * ema + (1 - decay) * current.
#pragma once
#include <torch/torch.h>

namespace osgan::one_shot {

// ema and model must have the same parameter and buffer names and shapes (e.g. ema = model->clone()).
// Throws osgan::Error naming the first missing or differently shaped key. Integer buffers are copied.
void update_ema(torch::nn::Module& ema, const torch::nn::Module& model, double decay);

}  // namespace osgan::one_shot
