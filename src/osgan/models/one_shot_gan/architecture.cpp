// Derives the One-Shot GAN block counts and channel plans from the image size (spec 1.2-1.4).
#include "osgan/models/one_shot_gan/architecture.h"

#include <cmath>
#include <string>

#include "osgan/core/error.h"

namespace osgan::one_shot {
namespace {

// Channel multipliers of the published code: G takes the last blocks_g + 1, D the first blocks_d + 1.
const std::vector<int> kMultipliersG = {8, 8, 8, 8, 8, 8, 8, 4, 2, 1};
const std::vector<int> kMultipliersD = {1, 2, 4, 8, 8, 8, 8, 8, 8};

int recommended_blocks_g(int size) {
  for (int g = 5; g <= 9; ++g) {
    const double noise = size / std::pow(2.0, g - 1);
    if (noise >= 3.0 && noise <= 7.0) return g;
  }
  fail(ErrorCode::invalid_argument, "One-Shot GAN: image size " + std::to_string(size) +
       " has no recommended configuration (expected size / 2^(g-1) within [3, 7] for g in 5..9, i.e. 48..1792). "
       "Hint: use --image-size 128, or set the G block count explicitly.");
}

}  // namespace

Architecture make_architecture(const GanConfig& config, int image_channels) {
  if (config.image_size < 4)
    fail(ErrorCode::invalid_argument, "One-Shot GAN: expected image size >= 4, got " + std::to_string(config.image_size));
  if (config.channels_g < 1 || config.channels_d < 8 || config.noise_dim < 1 || image_channels < 1)
    fail(ErrorCode::invalid_argument, "One-Shot GAN: expected channels_g >= 1, channels_d >= 8 and noise_dim >= 1, got " +
         std::to_string(config.channels_g) + ", " + std::to_string(config.channels_d) + ", " +
         std::to_string(config.noise_dim));
  Architecture arch;
  arch.image_size = config.image_size;
  arch.image_channels = image_channels;
  arch.noise_dim = config.noise_dim;
  arch.minibatch_std = config.minibatch_std;
  arch.modes = config.modes;
  arch.reconstruction = config.lambda_reconstruction > 0;
  arch.blocks_g = config.blocks_g > 0 ? config.blocks_g : recommended_blocks_g(config.image_size);
  if (arch.blocks_g < 2 || arch.blocks_g > static_cast<int>(kMultipliersG.size()) - 1)
    fail(ErrorCode::invalid_argument, "One-Shot GAN: expected 2..9 generator blocks, got " + std::to_string(arch.blocks_g));
  const int scale = 1 << (arch.blocks_g - 1);
  arch.noise_size = static_cast<int>(std::lround(static_cast<double>(config.image_size) / scale));
  if (arch.noise_size < 1 || arch.noise_size * scale != config.image_size)
    fail(ErrorCode::invalid_argument, "One-Shot GAN: image size " + std::to_string(config.image_size) +
         " is not noise_size * 2^(blocks_g-1) with " + std::to_string(arch.blocks_g) + " G blocks. Hint: use size " +
         std::to_string(std::max(1, arch.noise_size) * scale) + " (the published code re-quantises the same way).");

  // Recommended D blocks for the G block count (spec 1.2 table); explicit values win.
  int d = 0, d_low = 0;
  switch (arch.blocks_g) {
    case 9: d = 8; d_low = 4; break;
    case 8: d = 7; d_low = 4; break;
    case 7: case 6: d = 7; d_low = 3; break;
    case 5: d = 6; d_low = 2; break;
    default: break;
  }
  arch.blocks_d = config.blocks_d > 0 ? config.blocks_d : d;
  arch.blocks_d_low = config.blocks_d_low > 0 ? config.blocks_d_low : d_low;
  if (arch.blocks_d == 0 || arch.blocks_d_low == 0)
    fail(ErrorCode::invalid_argument, "One-Shot GAN: no recommended D block counts for " + std::to_string(arch.blocks_g) +
         " G blocks. Hint: set blocks_d and blocks_d_low explicitly.");
  if (arch.blocks_d_low < 1 || arch.blocks_d <= arch.blocks_d_low || arch.blocks_d > static_cast<int>(kMultipliersD.size()) - 1 ||
      arch.blocks_d_low > arch.blocks_g)
    fail(ErrorCode::invalid_argument, "One-Shot GAN: expected 1 <= blocks_d_low < blocks_d <= 8 and blocks_d_low <= blocks_g, got D " +
         std::to_string(arch.blocks_d) + ", D_low " + std::to_string(arch.blocks_d_low) + ", G " + std::to_string(arch.blocks_g));
  if ((config.image_size >> arch.blocks_d) < 1 || (config.image_size % (1 << arch.blocks_d_low)) != 0)
    fail(ErrorCode::invalid_argument, "One-Shot GAN: image size " + std::to_string(config.image_size) + " is too small for " +
         std::to_string(arch.blocks_d) + " D blocks (each halves the map). Hint: use fewer D blocks or larger images.");

  const std::size_t first_g = kMultipliersG.size() - static_cast<std::size_t>(arch.blocks_g) - 1;
  for (std::size_t i = first_g; i < kMultipliersG.size(); ++i) arch.channels_g.push_back(config.channels_g * kMultipliersG[i]);
  for (int i = 0; i <= arch.blocks_d; ++i) arch.channels_d.push_back(config.channels_d * kMultipliersD[static_cast<std::size_t>(i)]);
  return arch;
}

}  // namespace osgan::one_shot
