// What the reference tests share: reading the PyTorch results that a make_refs*.py script saved, and comparing a
// tensor against one with a stated tolerance, printing the error either way.
#pragma once
#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace osgan::ref {

// |got - ref| <= atol + rtol |ref| elementwise.
struct Tolerance {
  double atol, rtol;
};

// Both sides run the same ATen CPU kernels in fp32 on one thread, so most tensors agree to a few ulp; the margins
// cover reassociation in fused ops (conv backward).
// Forward activations: values O(1), a chain of ~20 convs accumulates ~1e-6.
constexpr Tolerance kForward{1e-5, 1e-4};
// Loss scalars are means of the outputs above.
constexpr Tolerance kLoss{1e-5, 1e-4};
// Gradients: O(1e-3..1); backward sums in a different order in places, so allow relative 1e-3 with a small floor.
constexpr Tolerance kGrad{1e-6, 1e-3};

// The saved name of a tensor: "." becomes "__" (TorchScript attribute names).
inline std::string key(std::string name) {
  for (std::size_t p = name.find('.'); p != std::string::npos; p = name.find('.', p)) name.replace(p, 1, "__");
  return name;
}

// The tensors of one reference file (a TorchScript container of buffers).
class Refs {
 public:
  explicit Refs(const std::string& path) : module_(torch::jit::load(path)), path_(path) {}
  bool has(const std::string& name) const { return module_.hasattr(key(name)); }
  torch::Tensor get(const std::string& name) const {
    if (!has(name)) ADD_FAILURE() << path_ << " has no tensor \"" << name << "\" (regenerate it with its make_refs script)";
    return has(name) ? module_.attr(key(name)).toTensor() : torch::Tensor();
  }

 private:
  torch::jit::Module module_;
  std::string path_;
};

// Compares and prints one tensor; returns false (and records a test failure) on any mismatch.
inline bool check(const std::string& name, const torch::Tensor& got, const torch::Tensor& ref, Tolerance tol) {
  if (!got.defined() || !ref.defined() || got.sizes() != ref.sizes()) {
    ADD_FAILURE() << name << ": shape mismatch or missing tensor";
    return false;
  }
  auto g = got.detach().to(torch::kFloat64).cpu(), r = ref.detach().to(torch::kFloat64).cpu();
  auto err = (g - r).abs();
  const double max_abs = err.max().item<double>();
  const double max_rel = (err / r.abs().clamp_min(1e-12)).max().item<double>();
  const bool ok = (err <= tol.atol + tol.rtol * r.abs()).all().item<bool>();
  std::printf("%-4s %-60s max_abs %.3e  max_rel %.3e\n", ok ? "ok" : "FAIL", name.c_str(), max_abs, max_rel);
  if (!ok) {
    auto flat_g = g.flatten(), flat_r = r.flatten();
    const auto worst = (flat_g - flat_r).abs().argmax().item<int64_t>();
    ADD_FAILURE() << name << ": max abs error " << max_abs << " (atol " << tol.atol << ", rtol " << tol.rtol
                  << "); worst element " << worst << ": got " << flat_g[worst].item<double>() << ", ref "
                  << flat_r[worst].item<double>() << "; first values got " << flat_g.slice(0, 0, 4) << " ref "
                  << flat_r.slice(0, 0, 4);
  }
  return ok;
}

// Every parameter and buffer, by registered name.
inline std::vector<std::pair<std::string, torch::Tensor>> state_of(torch::nn::Module& module) {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& item : module.named_parameters()) out.emplace_back(item.key(), item.value());
  for (const auto& item : module.named_buffers()) out.emplace_back(item.key(), item.value());
  return out;
}

// Sets every parameter and buffer to the reference's `prefix + name`.
inline void load_state(torch::nn::Module& module, const Refs& refs, const std::string& prefix) {
  torch::NoGradGuard no_grad;
  for (auto& [name, t] : state_of(module)) t.copy_(refs.get(prefix + name));
}

}  // namespace osgan::ref
