// A generator written out as TorchScript source plus the tensors it reads, so `osgan export` can hand a trained
// generator to Python users (torch.jit.load) without Python at export time. C++ LibTorch cannot script an
// nn::Module, so each architecture spells out its eval-mode forward with plain aten ops; export.h compiles it.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

namespace osgan {

// Usage:
//   ScriptedGenerator s;
//   const auto w = s.tensor("to_image_weight", conv->weight);      // returns "self.to_image_weight"
//   s.line("x = torch.conv2d(x, " + w + ", None, [1, 1], [1, 1])");
// forward(self, z) starts with x = z and must end with x holding the images (N, C, S, S) in [-1, 1].
struct ScriptedGenerator {
  std::vector<std::string> lines;                               // statements of forward's body
  std::vector<std::pair<std::string, torch::Tensor>> tensors;  // self.<name> -> constant weight

  // Registers a copy of `t` (detached, CPU, contiguous) under `name`; returns the expression "self.<name>".
  std::string tensor(const std::string& name, const torch::Tensor& t);
  void line(const std::string& statement) { lines.push_back(statement); }
  std::string source() const;  // the full "def forward(self, z: Tensor) -> Tensor:" method
};

// Common statements, so every architecture writes the same ops the same way.
std::string number_literal(double value);                             // round-trips exactly
std::string leaky_relu_expr(const std::string& x, double slope);       // exact leaky ReLU via torch.where
std::string upsample_nearest2x_expr(const std::string& x);             // nearest x2, exact

}  // namespace osgan
