#include "osgan/train/gan_quality.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/log.h"
#include "osgan/runtime/device.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/gan_train_options.h"
#include "osgan/train/gan_trainer.h"
#include "osgan/train/loss_log.h"
#include "osgan/train/mode_condition.h"

namespace osgan {
namespace fs = std::filesystem;

GanQualityProbe::GanQualityProbe(const torch::Tensor& real, int count, int noise_dim, std::uint64_t seed)
    : reference_(real) {
  if (count < 4) fail(ErrorCode::invalid_argument, "quality_count: expected 4 or more, got " + std::to_string(count));
  auto generator = at::detail::createCPUGenerator(seed ^ 0x9a11e7e5ULL);
  noise_ = torch::randn({count, noise_dim, 1, 1}, generator);
}

// A mode-conditioned GAN is scored on noise around its modes, each in its share of the training side.
torch::Tensor mode_conditioned(const torch::Tensor& noise, const GanConfig& config) {
  if (config.modes == 0) return noise;
  const auto modes = interleaved_modes(config.mode_shares, noise.size(0));
  return with_mode(noise, torch::tensor(modes, torch::kLong), config);
}

StepLosses GanQualityProbe::score(Gan& gan) const {
  StepLosses row;
  const auto add = [&](bool use_ema, const std::string& suffix) {
    const auto q = reference_.score(gan.generate(mode_conditioned(noise_, gan.config()), use_ema));
    row["kid" + suffix] = q.kid;
    row["precision" + suffix] = q.precision;
    row["recall" + suffix] = q.recall;
    row["coverage" + suffix] = q.coverage;
    row["density" + suffix] = q.density;
    row["histogram_w1" + suffix] = q.histogram_w1;
  };
  if (gan.config().use_ema) add(true, "_ema");
  add(false, "_raw");
  return row;
}

int score_checkpoints(const CheckpointQualityOptions& options) {
  const auto config_path = options.run_dir / "config.yaml";
  if (!fs::exists(config_path))
    fail(ErrorCode::invalid_argument, config_path.string() + ": not found. Hint: --run must be a train-gan run folder.");
  const auto run_options = options_from_yaml_text(read_text_file(config_path), config_path.string());
  std::vector<fs::path> checkpoints;
  if (fs::is_directory(options.run_dir / "checkpoints"))
    for (const auto& entry : fs::directory_iterator(options.run_dir / "checkpoints")) {
      const auto name = entry.path().filename().string();
      if (name.rfind("step_", 0) == 0 && entry.path().extension() == ".pt") checkpoints.push_back(entry.path());
    }
  if (checkpoints.empty())
    fail(ErrorCode::invalid_argument, (options.run_dir / "checkpoints").string() + ": no step_*.pt checkpoints to score");
  std::sort(checkpoints.begin(), checkpoints.end());  // zero-padded names: step order

  const auto device = parse_device(options.device);
  const GanQualityProbe probe(load_training_images(run_options), options.count, run_options.gan.noise_dim, options.seed);
  const auto out = options.out_file.empty() ? options.run_dir / "checkpoint_quality.csv" : options.out_file;
  LossLog table(out);
  for (const auto& path : checkpoints) {
    CheckpointInfo info;
    auto gan = load_gan_from_checkpoint(path, device, &info);
    table.add(info.step, probe.score(*gan));
    log_info("[gan-quality] " + path.filename().string() + " scored");
  }
  table.write();
  return static_cast<int>(checkpoints.size());
}

}  // namespace osgan
