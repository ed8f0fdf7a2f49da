#include "osgan/models/scripted_generator.h"

#include <sstream>

namespace osgan {

std::string ScriptedGenerator::tensor(const std::string& name, const torch::Tensor& t) {
  tensors.emplace_back(name, t.detach().to(torch::kCPU).contiguous().clone());
  return "self." + name;
}

std::string ScriptedGenerator::source() const {
  std::ostringstream s;
  s << "def forward(self, z: Tensor) -> Tensor:\n    x = z\n";
  for (const auto& l : lines) s << "    " << l << "\n";
  s << "    return x\n";
  return s.str();
}

std::string number_literal(double value) {
  std::ostringstream s;
  s.precision(17);
  s << value;
  auto text = s.str();
  if (text.find_first_of(".e") == std::string::npos) text += ".0";  // keep it a float in TorchScript
  return text;
}

std::string leaky_relu_expr(const std::string& x, double slope) {
  return "torch.where(" + x + " > 0, " + x + ", " + x + " * " + number_literal(slope) + ")";
}

std::string upsample_nearest2x_expr(const std::string& x) {
  return x + ".repeat_interleave(2, dim=2).repeat_interleave(2, dim=3)";
}

}  // namespace osgan
