// osgan train-upsampler: the cascade's second stage, trained on the images a train-gan run learned from.
#include <iomanip>
#include <iostream>

#include "commands.h"
#include "common_options.h"
#include "osgan/train/upsampler_trainer.h"

namespace osgan::cli {
namespace {

void register_train_upsampler(CLI::App& app) {
  auto options = std::make_shared<UpsamplerTrainOptions>();
  auto compute = std::make_shared<ComputeOptions>();
  auto* cmd = app.add_subcommand("train-upsampler",
                                 "train an upsampler that enlarges a GAN's images (e.g. 32 -> 128 px) on that GAN's "
                                 "own training images; then osgan generate --upsampler RUN");
  cmd->add_option("--gan", options->gan_run, "the train-gan run folder whose training images it learns from")->required();
  cmd->add_option("--out", options->out_dir, "run folder (checkpoints, samples, losses.csv, summary.json)")->required();
  cmd->add_option("--size", options->size, "output size in px: the GAN's size times 2, 4, 8 or 16")->capture_default_str();
  cmd->add_option("--steps", options->steps, "training steps")->capture_default_str();
  cmd->add_option("--batch", options->batch_size, "crops per step")->capture_default_str();
  cmd->add_option("--crop", options->crop, "output-size crop of each image per step (0 = whole images)")->capture_default_str();
  cmd->add_option("--channels", options->base_channels, "channels at the GAN's size, halved at each x2 stage")
      ->capture_default_str();
  cmd->add_option("--blocks", options->residual_blocks, "residual blocks at the GAN's size")->capture_default_str();
  cmd->add_option("--lr", options->lr, "Adam learning rate")->capture_default_str();
  cmd->add_option("--adversarial", options->adversarial_weight,
                  "weight of a patch discriminator's loss beside L1 (0: L1 only)")->capture_default_str();
  cmd->add_option("--input-noise", options->input_noise, "std of noise added to the input images")->capture_default_str();
  cmd->add_option("--checkpoint-every", options->checkpoint_every, "steps between checkpoints and sample grids")
      ->capture_default_str();
  cmd->add_flag("--resume", options->resume, "go on from RUN/checkpoints/latest.pt (same options)");
  add_compute_options(cmd, *compute);
  cmd->callback([options, compute] {
    apply_compute_options(*compute);
    options->device = compute->device;
    options->seed = compute->seed;
    options->quiet = compute->quiet;
    const auto s = train_upsampler(*options);
    std::cout << std::fixed << std::setprecision(2) << "held-back slices (" << s.held_back_images
              << "): PSNR " << s.held_back.psnr_upsampler << " dB upsampled, " << s.held_back.psnr_bilinear
              << " dB bilinear; " << (options->out_dir / "checkpoints" / "latest.pt").string() << "\n";
  });
}

}  // namespace

OSGAN_COMMAND(31, register_train_upsampler);

}  // namespace osgan::cli
