#include "osgan/train/batch_sampler.h"

#include <algorithm>
#include <cmath>

#include "osgan/core/error.h"

namespace osgan {

torch::Tensor mode_balanced_probabilities(const std::vector<int>& modes, double balance) {
  if (modes.empty()) fail(ErrorCode::invalid_argument, "mode_balance: expected each training slice's mode, got none");
  if (!(balance >= 0 && balance <= 1))
    fail(ErrorCode::invalid_argument, "mode_balance: expected 0 (each slice equally often) to 1 (each mode equally "
                                      "often), got " + std::to_string(balance));
  if (*std::min_element(modes.begin(), modes.end()) < 0)
    fail(ErrorCode::invalid_argument, "mode_balance: expected modes 0 .. K-1, found a negative one");
  std::vector<double> count(static_cast<std::size_t>(*std::max_element(modes.begin(), modes.end())) + 1, 0.0);
  for (const auto m : modes) count[static_cast<std::size_t>(m)] += 1;
  std::vector<double> weight;
  weight.reserve(modes.size());
  for (const auto m : modes) weight.push_back(std::pow(count[static_cast<std::size_t>(m)], -balance));
  auto p = torch::tensor(weight, torch::kFloat64);  // (N,)
  return p / p.sum();
}

BatchSampler::BatchSampler(std::int64_t count, const std::vector<int>& modes, double balance) : count_(count) {
  if (count < 1) fail(ErrorCode::invalid_argument, "BatchSampler: expected at least one training slice, got 0");
  if (balance == 0) return;
  if (static_cast<std::int64_t>(modes.size()) != count)
    fail(ErrorCode::invalid_argument, "mode_balance: expected one mode per training slice (" + std::to_string(count) +
                                          "), got " + std::to_string(modes.size()));
  probabilities_ = mode_balanced_probabilities(modes, balance);
}

torch::Tensor BatchSampler::draw(std::int64_t batch) const {
  if (!probabilities_.defined()) return torch::randint(count_, {batch}, torch::kLong);
  return torch::multinomial(probabilities_, batch, /*replacement=*/true);
}

}  // namespace osgan
