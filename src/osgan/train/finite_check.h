// Numeric guards for a GAN step: a NaN or Inf loss or gradient is caught before the optimizer step that would write
// it into the weights, and reported as osgan::Error(numerical), which GanTrainer answers by rolling back.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

namespace osgan {

// Call after backward(), before optimizer.step(). losses: the (name, scalar) terms of this phase; parameters: the
// network the optimizer updates. Throws osgan::Error(numerical), e.g. "D step: d_real = nan, d_fake = 0.69,
// gradient norm = nan", when any loss or the total gradient norm is not finite.
void check_finite_before_step(const std::string& network, const std::vector<std::pair<std::string, torch::Tensor>>& losses,
                              const std::vector<torch::Tensor>& parameters);

// Sets the learning rate of every parameter group of an Adam optimizer (the rollback lowers it).
void set_learning_rate(torch::optim::Adam& optimizer, double lr);

}  // namespace osgan
