// osgan export: a trained generator as a TorchScript file that Python loads with torch.jit.load, for researchers
// whose own training code is in Python. The file holds the eval-mode generator (EMA by default) with its weights
// frozen, the attributes arch, noise_dim, image_size, image_channels, and an extra file "osgan.json" that names
// the checkpoint (SHA-256, step) it came from.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

#include <torch/script.h>
#include <torch/torch.h>

#include "osgan/models/scripted_generator.h"

namespace osgan {

struct GeneratorModuleInfo {
  std::string arch;
  std::int64_t noise_dim = 0, image_size = 0, image_channels = 1;
};

// Compiles `script` into a module whose weights are parameters (requires_grad off) and whose info are attributes.
torch::jit::Module build_generator_module(const ScriptedGenerator& script, const GeneratorModuleInfo& info);

struct ExportOptions {
  std::filesystem::path checkpoint;  // a train-gan checkpoint
  std::filesystem::path out;         // the TorchScript file to write (atomically)
  bool use_ema = true;               // export the EMA generator, as `osgan generate` uses by default
};

struct ExportSummary {
  std::string arch;
  std::int64_t checkpoint_step = 0;
  std::string checkpoint_sha256;
  double max_abs_difference = 0;  // exported module vs osgan's own generator on a fixed noise batch
};

// Loads the checkpoint on the CPU, writes the module, loads the written file back and checks that it draws the
// same images as `osgan generate` for the same noise (max |difference| <= 1e-5, else an error: a bug in osgan).
ExportSummary export_generator(const ExportOptions& options);

}  // namespace osgan
