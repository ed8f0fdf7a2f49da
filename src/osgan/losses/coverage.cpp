#include "osgan/losses/coverage.h"

#include <sstream>

#include "osgan/core/error.h"

namespace osgan::losses {
namespace {

std::string shape_of(const torch::Tensor& t) {
  std::ostringstream s;
  s << t.sizes();
  return s.str();
}

}  // namespace

torch::Tensor nearest_in_pool(const torch::Tensor& real, const torch::Tensor& pool) {
  if (real.dim() != 4 || pool.dim() != 4 || real.size(0) < 1 || pool.size(0) < 1 ||
      real.sizes().slice(1) != pool.sizes().slice(1) || real.size(2) % 2 != 0 || real.size(3) % 2 != 0)
    fail(ErrorCode::invalid_argument, "coverage: expected real (N, C, S, S) and pool (P, C, S, S) images of one even "
         "size, got " + shape_of(real) + " and " + shape_of(pool));
  torch::NoGradGuard no_grad;
  const auto flat = [](const torch::Tensor& x) {  // (N, C, S, S) -> (N, C * S/2 * S/2)
    return torch::avg_pool2d(x, 2).flatten(1);
  };
  const auto a = flat(real), b = flat(pool);
  // ||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2; (N, P)
  const auto distances = a.pow(2).sum(1, true) - 2 * a.matmul(b.t()) + b.pow(2).sum(1).unsqueeze(0);
  return distances.argmin(1);
}

torch::Tensor coverage_loss(const torch::Tensor& chosen_fakes, const torch::Tensor& real) {
  if (chosen_fakes.sizes() != real.sizes())
    fail(ErrorCode::invalid_argument, "coverage: expected one chosen fake per real image, got " +
         shape_of(chosen_fakes) + " against " + shape_of(real));
  return (chosen_fakes - real).abs().mean();
}

}  // namespace osgan::losses
