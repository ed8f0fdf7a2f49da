// Generating synthetic images from a GAN checkpoint, or from several snapshots of one run (a snapshot ensemble):
// numbered grey 8-bit PNGs (synthetic_00001.png, ...), each marked SYNTHETIC in a PNG text chunk with the model's
// arch, its checkpoint's SHA-256 and step and the seed, plus a grid. Image i (0-based) comes from checkpoint
// i mod K of the K given, with noise from its own generator seeded by (seed, i), so the images depend only on the
// checkpoints, the seed and i: never on the batch size or on how many images are asked for; any first n images
// share out the snapshots evenly.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace osgan {

// One generator of a mixture: a run's snapshots (or one checkpoint) and the share of the images it draws.
struct MixtureComponent {
  std::vector<std::filesystem::path> checkpoints;
  double share = 1;  // relative; the shares are normalised
};

struct GenerateOptions {
  std::vector<std::filesystem::path> checkpoints;  // one, or a run's snapshots (same architecture)
  // Instead of `checkpoints`: several GANs (the pipeline's one GAN per mode of a class), each drawing its share of
  // the images. Image i comes from component mixture_order(...)[i], and within it from checkpoint j mod K of that
  // component's K, j being its rank among the component's images; its noise is still seeded by (seed, i).
  std::vector<MixtureComponent> mixture;
  int count = 100;
  std::filesystem::path out_dir;
  std::uint64_t seed = 1;
  int batch_size = 16;
  bool use_ema = true;
  // Standard deviation of the noise (the generator was trained with 1). Above 1 draws from the tails of the
  // noise distribution: more varied samples at some cost in fidelity (the inverse of BigGAN's truncation).
  double noise_scale = 1.0;
  int grid_count = 64;  // images in grid.png (the first ones)
  // A train-upsampler run folder or checkpoint (train/upsampler_trainer.h): each image is enlarged by it before it
  // is written (e.g. 32 -> 128 px), and tagged with its SHA-256. Empty = the GAN's own size.
  std::filesystem::path upsampler;
  std::string device = "auto";
};

struct GenerateSummary {
  std::string arch;
  std::vector<std::string> checkpoint_sha256;    // per checkpoint, in the order given
  std::vector<std::int64_t> checkpoint_step;
  std::vector<std::filesystem::path> files;
  std::filesystem::path grid;
};

// The noise of image `index` (0-based) for `seed`: (1, noise_dim, 1, 1) on the CPU.
torch::Tensor noise_for_index(std::uint64_t seed, std::int64_t index, int noise_dim);

// What `--checkpoint PATH` means: a checkpoint file as it is; a train-gan run folder, its snapshots (the
// "snapshots" of RUN/summary.json, see GanTrainOptions::snapshots), or RUN/checkpoints/latest.pt when it has none.
// Throws osgan::Error naming the folder when it holds neither.
std::vector<std::filesystem::path> checkpoints_of(const std::filesystem::path& file_or_run);

// How many of `count` images each component draws: count x share (normalised), rounded by the largest remainder
// (ties to the earlier component), so the counts add up to `count`. Throws osgan::Error for no shares, a negative
// or non-finite share, or all zero.
std::vector<int> mixture_counts(const std::vector<double>& shares, int count);

// The component of each image (sum of counts entries): the components interleaved evenly, the j-th image of
// component c placed at (j + 0.5) / counts[c] of the way (ties to the earlier component), so that any first n
// images hold each component in about its share (the study's ratio sweep takes the first ones).
std::vector<int> mixture_order(const std::vector<int>& counts);

// Throws osgan::Error naming the checkpoint or folder on bad input. Every file is written atomically.
GenerateSummary generate_images(const GenerateOptions& options);

}  // namespace osgan
