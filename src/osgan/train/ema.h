// Exponential moving average of a model's weights (the "EMA generator" of Karras et al. 2018 / Yazici et al.
// 2019, used by One-Shot GAN and optionally by the baselines). Parameters and floating buffers are averaged;
// integer buffers (BatchNorm's num_batches_tracked) are copied.
#pragma once
#include <torch/torch.h>

namespace osgan {

// ema = decay * ema + (1 - decay) * model, for every parameter and buffer with the same name.
// Throws osgan::Error when the two modules do not have the same names and shapes.
void update_ema(torch::nn::Module& ema, const torch::nn::Module& model, double decay);

// ema = model (exact copy of every parameter and buffer).
void copy_module_state(torch::nn::Module& target, const torch::nn::Module& source);

// The decay for update number `step` (0-based) with a warm-up, so that an EMA over a short run is not dominated
// by the initial weights: min(decay, (1 + step) / (10 + step)) (the num_updates rule of TensorFlow's
// ExponentialMovingAverage).
double ema_decay_at(double decay, std::int64_t step);

}  // namespace osgan
