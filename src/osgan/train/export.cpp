#include "osgan/train/export.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/hash.h"
#include "osgan/core/log.h"
#include "osgan/core/version.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/generate.h"
#include "osgan/train/mode_condition.h"

namespace osgan {
namespace {

constexpr double kTolerance = 1e-5;   // the module runs the same aten ops on the same weights
constexpr int kCheckImages = 4;       // noise of generate's seed 0, images 0..3

double max_abs_difference(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.sizes() != b.sizes()) return std::numeric_limits<double>::infinity();
  return (a - b).abs().max().item<double>();
}

}  // namespace

torch::jit::Module build_generator_module(const ScriptedGenerator& script, const GeneratorModuleInfo& info) {
  torch::jit::Module module("OsganGenerator");
  for (const auto& [name, t] : script.tensors) module.register_parameter(name, t.detach().clone(), /*is_buffer=*/false);
  module.register_attribute("arch", c10::StringType::get(), info.arch);
  module.register_attribute("noise_dim", c10::IntType::get(), info.noise_dim);
  module.register_attribute("image_size", c10::IntType::get(), info.image_size);
  module.register_attribute("image_channels", c10::IntType::get(), info.image_channels);
  try {
    module.define(script.source());
  } catch (const c10::Error& e) {
    throw std::logic_error("export: the TorchScript of the " + info.arch + " generator does not compile (a bug in "
                           "osgan): " + e.what_without_backtrace() + "\n" + script.source());
  }
  module.eval();
  return module;
}

ExportSummary export_generator(const ExportOptions& options) {
  if (options.out.empty()) fail(ErrorCode::invalid_argument, "export: expected --out FILE");
  const torch::Device cpu(torch::kCPU);
  CheckpointInfo info;
  auto gan = load_gan_from_checkpoint(options.checkpoint, cpu, &info);
  const auto& config = gan->config();

  ExportSummary summary;
  summary.arch = config.arch;
  summary.checkpoint_step = info.step;
  summary.checkpoint_sha256 = sha256_file_hex(options.checkpoint);

  GeneratorModuleInfo module_info{config.arch, config.noise_dim, config.image_size, 1};
  auto module = build_generator_module(gan->script_generator(options.use_ema), module_info);

  nlohmann::json meta = {
      {"format", "osgan-generator-torchscript"},
      {"osgan_version", OSGAN_VERSION},
      {"arch", config.arch},
      {"noise_dim", config.noise_dim},
      {"image_size", config.image_size},
      {"image_channels", 1},
      {"ema", options.use_ema && config.use_ema},
      {"checkpoint", options.checkpoint.filename().string()},
      {"checkpoint_sha256", summary.checkpoint_sha256},
      {"checkpoint_step", info.step},
      {"input", "z: float32 (N, noise_dim, 1, 1), standard normal"},
      {"output", "float32 (N, 1, image_size, image_size) in [-1, 1]; images are SYNTHETIC, never patient data"}};
  if (config.modes > 0) {  // a mode-conditioned generator: mode k is noise around mode_noise_means[k]
    const auto means = mode_noise_means(config.modes, config.noise_dim, config.mode_noise_radius);
    meta["input"] = "z: float32 (N, noise_dim, 1, 1), standard normal plus mode_noise_means[k] for mode k; draw the "
                    "modes in mode_shares for the training side's mix";
    meta["mode_shares"] = config.mode_shares;
    meta["mode_noise_means"] = nlohmann::json::array();
    for (int64_t k = 0; k < means.size(0); ++k) {
      const auto row = means[k].contiguous();
      meta["mode_noise_means"].push_back(std::vector<float>(row.data_ptr<float>(), row.data_ptr<float>() + row.numel()));
    }
  }
  std::error_code ec;
  if (options.out.has_parent_path()) std::filesystem::create_directories(options.out.parent_path(), ec);
  if (ec) fail(ErrorCode::io, "export: cannot create the folder " + options.out.parent_path().string() + " (" + ec.message() + ")");
  std::ostringstream bytes;
  module.save(bytes, {{"osgan.json", meta.dump(2)}});
  write_atomically(options.out, [&](const std::filesystem::path& tmp) {
    std::ofstream file(tmp, std::ios::binary);
    file << bytes.str();
    file.close();
    if (!file) fail(ErrorCode::io, "export: cannot write " + tmp.string());
  });

  // Load what was written and compare with osgan's own generator on the noise `osgan generate --seed 0` uses.
  std::vector<torch::Tensor> noise;
  for (int i = 0; i < kCheckImages; ++i) noise.push_back(noise_for_index(0, i, config.noise_dim));
  const auto z = torch::cat(noise);  // (4, Z, 1, 1)
  const auto expected = gan->generate(z, options.use_ema);
  auto loaded = torch::jit::load(options.out.string());
  torch::Tensor got;
  {
    torch::NoGradGuard no_grad;
    got = loaded.forward({z}).toTensor();
  }
  summary.max_abs_difference = max_abs_difference(got, expected);
  if (!(summary.max_abs_difference <= kTolerance))
    throw std::logic_error("export: the written module differs from osgan's generator by " +
                           std::to_string(summary.max_abs_difference) + " (tolerance " + std::to_string(kTolerance) +
                           "); a bug in osgan's export of " + config.arch);
  log_info("[export] " + config.arch + " generator (step " + std::to_string(info.step) + ") -> " +
           options.out.string() + "; matches osgan's generator within " + std::to_string(summary.max_abs_difference));
  return summary;
}

}  // namespace osgan
