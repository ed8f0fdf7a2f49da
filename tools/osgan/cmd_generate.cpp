// osgan generate: synthetic PNGs (marked SYNTHETIC) from a train-gan checkpoint, or a run's snapshots.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "common_options.h"
#include "osgan/pipeline/mode_gans.h"
#include "osgan/train/generate.h"

namespace osgan::cli {
namespace {

void register_generate(CLI::App& app) {
  auto options = std::make_shared<GenerateOptions>();
  auto compute = std::make_shared<ComputeOptions>();
  auto* cmd = app.add_subcommand("generate", "write synthetic images from a GAN checkpoint or a run's snapshots");
  auto given = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--checkpoint", *given,
                  "checkpoint file(s) (RUN/checkpoints/step_XXXXXX.pt), or a train-gan run folder: its snapshots, "
                  "or its latest.pt; several: image i comes from the (i mod K)-th; a pipeline class folder trained "
                  "with gan.per_mode (RUN/gan/<class>, with modes.json): each mode's GAN in its share")
      ->required();
  cmd->add_option("--count", options->count, "number of images")->required();
  cmd->add_option("--out", options->out_dir, "output folder (synthetic_00001.png, ..., and preview/grid.png)")->required();
  cmd->add_option("--batch", options->batch_size, "images per forward pass (does not change the images)")
      ->capture_default_str();
  cmd->add_flag("--no-ema", [options](std::int64_t) { options->use_ema = false; }, "use the raw generator, not EMA");
  cmd->add_option("--noise-scale", options->noise_scale,
                  "noise standard deviation (training used 1); above 1 trades fidelity for variety")
      ->capture_default_str();
  cmd->add_option("--upsampler", options->upsampler,
                  "a train-upsampler run folder (or checkpoint) trained on this GAN's images: enlarge every image "
                  "with it, e.g. 32 -> 128 px");
  add_compute_options(cmd, *compute);
  cmd->callback([options, compute, given] {
    apply_compute_options(*compute);
    options->checkpoints.clear();
    options->mixture.clear();
    namespace fs = std::filesystem;
    if (given->size() == 1 && fs::is_regular_file(fs::path(given->front()) / "modes.json")) {
      // One GAN per mode (the pipeline's gan.per_mode): draw each mode as the pipeline's generate stage does.
      const fs::path folder = given->front();
      const auto modes = load_class_modes(folder / "modes.json");
      const auto shares = modes.shares();
      for (std::size_t k = 0; k < shares.size(); ++k)
        options->mixture.push_back({checkpoints_of(folder / mode_run_name(static_cast<int>(k))), shares[k]});
    } else {
      for (const auto& path : *given)
        for (const auto& checkpoint : checkpoints_of(path)) options->checkpoints.push_back(checkpoint);
    }
    options->seed = compute->seed;
    options->device = compute->device;
    const auto summary = generate_images(*options);
    std::cout << summary.files.size() << " images in " << options->out_dir.string() << "\n";
  });
}

}  // namespace

OSGAN_COMMAND(40, register_generate);

}  // namespace osgan::cli
