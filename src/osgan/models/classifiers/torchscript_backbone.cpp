// TorchScript backbone: loads the file, probes its output shape once, and shares its tensors with this module.
#include "osgan/models/classifiers/torchscript_backbone.h"

#include <filesystem>

#include "osgan/core/error.h"
#include "osgan/core/one_line.h"
#include "osgan/io/torch_archive_check.h"

namespace osgan::models {

namespace {
// Parameter names of a scripted module contain dots ("features.0.weight"); nn::Module keys must not.
std::string key_of(std::string name) {
  for (auto& c : name)
    if (c == '.') c = '_';
  return name;
}
}  // namespace

TorchScriptBackboneImpl::TorchScriptBackboneImpl(const std::string& path, bool frozen, int64_t image_size)
    : frozen_(frozen) {
  if (!std::filesystem::is_regular_file(path))
    fail(ErrorCode::io, "--backbone \"" + path + "\": file not found. Hint: export a TorchScript module with "
         "torch.jit.script(model).save(path).");
  io::check_torch_archive(path);  // LibTorch trusts the sizes inside the file
  try {
    module_ = torch::jit::load(path, torch::kCPU);
  } catch (const c10::Error& e) {
    fail(ErrorCode::bad_format, "--backbone \"" + path + "\": not a TorchScript module (" +
         one_line(std::string(e.what_without_backtrace()).substr(0, 200)) + ")");
  } catch (const std::exception& e) {  // torch::jit::ErrorReport when the module's code does not compile
    fail(ErrorCode::bad_format, "--backbone \"" + path + "\": not a TorchScript module (" + one_line(std::string(e.what()).substr(0, 200)) + ")");
  }
  for (const auto& p : module_.named_parameters(/*recurse=*/true)) {
    auto t = p.value;
    t.set_requires_grad(!frozen);
    register_parameter(key_of(p.name), t, /*requires_grad=*/!frozen);
  }
  for (const auto& b : module_.named_buffers(/*recurse=*/true)) register_buffer(key_of(b.name), b.value);

  // Probe the output shape with one zero image.
  module_.eval();
  torch::NoGradGuard no_grad;
  torch::Tensor out;
  try {
    out = forward(torch::zeros({1, 1, image_size, image_size}));
  } catch (const c10::Error& e) {
    fail(ErrorCode::bad_format, "--backbone \"" + path + "\": the module fails on a (1, 1, " +
         std::to_string(image_size) + ", " + std::to_string(image_size) + ") input (" +
         one_line(std::string(e.what_without_backtrace()).substr(0, 200)) + "). Hint: it must take one grey channel.");
  }
  out_channels_ = out.size(1);
  train(is_training());
}

torch::Tensor TorchScriptBackboneImpl::forward(const torch::Tensor& x) {
  auto out = module_.forward({x});
  if (!out.isTensor())
    fail(ErrorCode::bad_format, "TorchScript backbone: expected its forward to return one tensor");
  auto t = out.toTensor();
  if (t.dim() == 2) t = t.unsqueeze(-1).unsqueeze(-1);  // (N, C) -> (N, C, 1, 1)
  TORCH_CHECK(t.dim() == 4, "TorchScript backbone: expected an (N, C) or (N, C, h, w) output, got ", t.sizes());
  return t;
}

void TorchScriptBackboneImpl::train(bool on) {
  torch::nn::Module::train(on);
  module_.train(on && !frozen_);  // a frozen backbone keeps its batch-norm statistics
}

}  // namespace osgan::models
