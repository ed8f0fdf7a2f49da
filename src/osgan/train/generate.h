// Generating synthetic images from a GAN checkpoint: numbered grey 8-bit PNGs (synthetic_00001.png, ...), each
// marked SYNTHETIC in a PNG text chunk with the model's arch, the checkpoint's SHA-256 and the seed, plus a grid.
// Image i's noise comes from its own generator seeded by (seed, i), so the images depend only on the checkpoint,
// the seed and i: never on the batch size or on how many images are asked for.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace osgan {

struct GenerateOptions {
  std::filesystem::path checkpoint;
  int count = 100;
  std::filesystem::path out_dir;
  std::uint64_t seed = 1;
  int batch_size = 16;
  bool use_ema = true;
  // Standard deviation of the noise (the generator was trained with 1). Above 1 draws from the tails of the
  // noise distribution: more varied samples at some cost in fidelity (the inverse of BigGAN's truncation).
  double noise_scale = 1.0;
  int grid_count = 64;  // images in grid.png (the first ones)
  std::string device = "auto";
};

struct GenerateSummary {
  std::string arch;
  std::string checkpoint_sha256;
  std::int64_t checkpoint_step = 0;
  std::vector<std::filesystem::path> files;
  std::filesystem::path grid;
};

// The noise of image `index` (0-based) for `seed`: (1, noise_dim, 1, 1) on the CPU.
torch::Tensor noise_for_index(std::uint64_t seed, std::int64_t index, int noise_dim);

// Throws osgan::Error naming the checkpoint or folder on bad input. Every file is written atomically.
GenerateSummary generate_images(const GenerateOptions& options);

}  // namespace osgan
