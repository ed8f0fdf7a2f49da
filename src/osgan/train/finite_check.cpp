#include "osgan/train/finite_check.h"

#include <cmath>
#include <sstream>

#include "osgan/core/error.h"

namespace osgan {
namespace {

// "nan" whatever the sign bit (printf would say "-nan" for some), so messages can be searched for it.
std::string format_value(double value) {
  if (std::isnan(value)) return "nan";
  std::ostringstream s;
  s << value;
  return s.str();
}

}  // namespace

void check_finite_before_step(const std::string& network, const std::vector<std::pair<std::string, torch::Tensor>>& losses,
                              const std::vector<torch::Tensor>& parameters) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> squares;
  for (const auto& p : parameters)
    if (p.grad().defined()) squares.push_back(p.grad().to(torch::kFloat64).pow(2).sum());
  const double grad_norm = squares.empty() ? 0.0 : torch::stack(squares).sum().sqrt().item<double>();
  bool finite = std::isfinite(grad_norm);
  std::ostringstream what;
  what << network << " step:";
  for (const auto& [name, loss] : losses) {
    const double value = loss.item<double>();
    finite = finite && std::isfinite(value);
    what << " " << name << " = " << format_value(value) << ",";
  }
  what << " gradient norm = " << format_value(grad_norm);
  if (!finite) fail(ErrorCode::numerical, what.str());
}

void set_learning_rate(torch::optim::Adam& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

}  // namespace osgan
