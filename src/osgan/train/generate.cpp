#include "osgan/train/generate.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/hash.h"
#include "osgan/core/log.h"
#include "osgan/core/one_line.h"
#include "osgan/core/version.h"
#include "osgan/io/png_writer.h"
#include "osgan/runtime/device.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/gan_train_options.h"
#include "osgan/train/image_tensor.h"
#include "osgan/train/mode_condition.h"
#include "osgan/train/sample_grid.h"
#include "osgan/train/upsampler_trainer.h"

namespace osgan {
namespace {

// SplitMix64 finaliser: a well-mixed 64-bit seed for each (seed, index) pair.
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string file_name(std::int64_t number) {
  std::ostringstream s;
  s << "synthetic_" << std::setw(5) << std::setfill('0') << number << ".png";
  return s.str();
}

}  // namespace

torch::Tensor noise_for_index(std::uint64_t seed, std::int64_t index, int noise_dim) {
  auto generator = at::detail::createCPUGenerator(mix_seed(seed, static_cast<std::uint64_t>(index)));
  return torch::randn({1, noise_dim, 1, 1}, generator);  // (1, Z, 1, 1)
}

std::vector<std::filesystem::path> checkpoints_of(const std::filesystem::path& file_or_run) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(file_or_run)) return {file_or_run};
  std::vector<fs::path> snapshots;
  const auto summary = file_or_run / "summary.json";
  if (fs::exists(summary)) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(read_text_file(summary));
    } catch (const nlohmann::json::exception& e) {
      fail(ErrorCode::bad_format, summary.string() + ": not valid JSON (" + one_line(e.what()) + ")");
    }
    if (j.contains("snapshots") && j["snapshots"].is_array())
      for (const auto& s : j["snapshots"]) if (s.is_string()) snapshots.push_back(file_or_run / s.get<std::string>());
  }
  if (!snapshots.empty()) return snapshots;
  const auto latest = file_or_run / "checkpoints" / "latest.pt";
  if (!fs::exists(latest))
    fail(ErrorCode::invalid_argument, file_or_run.string() + ": a folder without checkpoints/latest.pt. Hint: give a "
         "train-gan run folder or a checkpoint file.");
  return {latest};
}

std::vector<int> mixture_counts(const std::vector<double>& shares, int count) {
  if (shares.empty()) fail(ErrorCode::invalid_argument, "generate: a mixture needs at least one component");
  double total = 0;
  for (const double s : shares) {
    if (!std::isfinite(s) || s < 0)
      fail(ErrorCode::invalid_argument, "generate: a mixture share must be a finite number >= 0, got " + std::to_string(s));
    total += s;
  }
  if (!(total > 0)) fail(ErrorCode::invalid_argument, "generate: the mixture's shares are all 0");
  std::vector<int> counts(shares.size());
  std::vector<std::pair<double, std::size_t>> remainders;  // (remainder, component)
  int given = 0;
  for (std::size_t c = 0; c < shares.size(); ++c) {
    const double exact = static_cast<double>(count) * shares[c] / total;
    counts[c] = static_cast<int>(std::floor(exact));
    given += counts[c];
    remainders.emplace_back(exact - counts[c], c);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t r = 0; given < count; ++r, ++given) ++counts[remainders[r % remainders.size()].second];
  return counts;
}

std::vector<int> mixture_order(const std::vector<int>& counts) {
  std::vector<std::pair<double, int>> places;  // (position in [0, 1), component)
  for (std::size_t c = 0; c < counts.size(); ++c)
    for (int j = 0; j < counts[c]; ++j)
      places.emplace_back((j + 0.5) / counts[c], static_cast<int>(c));
  std::stable_sort(places.begin(), places.end());
  std::vector<int> order;
  for (const auto& p : places) order.push_back(p.second);
  return order;
}

GenerateSummary generate_images(const GenerateOptions& options) {
  if (!options.mixture.empty() && !options.checkpoints.empty())
    fail(ErrorCode::invalid_argument, "generate: give either checkpoints or a mixture of GANs, not both");
  const bool mixture = !options.mixture.empty();
  if (mixture)
    for (const auto& c : options.mixture)
      if (c.checkpoints.empty()) fail(ErrorCode::invalid_argument, "generate: a mixture component without checkpoints");
  if (!mixture && options.checkpoints.empty())
    fail(ErrorCode::invalid_argument, "generate: expected --checkpoint FILE (one or more)");
  if (options.count < 1)
    fail(ErrorCode::invalid_argument, "--count: expected 1 or more, got " + std::to_string(options.count));
  if (options.batch_size < 1)
    fail(ErrorCode::invalid_argument, "--batch: expected 1 or more, got " + std::to_string(options.batch_size));
  if (!(options.noise_scale > 0.0 && options.noise_scale <= 10.0))
    fail(ErrorCode::invalid_argument, "--noise-scale: expected a number in (0, 10], got " + std::to_string(options.noise_scale));
  if (options.out_dir.empty()) fail(ErrorCode::invalid_argument, "generate: expected --out DIR");
  const auto device = parse_device(options.device);

  // The checkpoints of every component, one list (component c's are [begin[c], begin[c + 1])), and for each image
  // the checkpoint it comes from.
  std::vector<MixtureComponent> components = mixture ? options.mixture : std::vector<MixtureComponent>{{options.checkpoints, 1}};
  std::vector<double> shares;
  for (const auto& c : components) shares.push_back(c.share);
  const auto order = mixture ? mixture_order(mixture_counts(shares, options.count)) : std::vector<int>(options.count, 0);
  std::vector<std::filesystem::path> checkpoints;
  std::vector<int> begin;
  for (const auto& c : components) {
    begin.push_back(static_cast<int>(checkpoints.size()));
    checkpoints.insert(checkpoints.end(), c.checkpoints.begin(), c.checkpoints.end());
  }
  std::vector<int> source(options.count);  // image -> index into checkpoints
  std::vector<int> rank(components.size(), 0);
  for (int i = 0; i < options.count; ++i) {
    const int c = order[i];
    source[i] = begin[c] + rank[c]++ % static_cast<int>(components[c].checkpoints.size());
  }

  // Every checkpoint is read before anything is written: the snapshots must draw the same kind of image.
  GenerateSummary summary;
  const auto& first_path = checkpoints.front();
  const auto first = options_from_yaml_text(read_checkpoint_info(first_path).config_yaml, first_path.string());
  for (const auto& path : checkpoints) {
    const auto info = read_checkpoint_info(path);
    const auto o = options_from_yaml_text(info.config_yaml, path.string());
    if (o.gan.modes != first.gan.modes || o.gan.mode_shares != first.gan.mode_shares)
      fail(ErrorCode::invalid_argument, path.string() + ": conditioned on " + std::to_string(o.gan.modes) + " modes, but " +
           first_path.string() + " on " + std::to_string(first.gan.modes) + ". Hint: give snapshots of one run.");
    if (o.gan.arch != first.gan.arch || o.gan.image_size != first.gan.image_size || o.gan.noise_dim != first.gan.noise_dim)
      fail(ErrorCode::invalid_argument, path.string() + ": a " + o.gan.arch + " of " + std::to_string(o.gan.image_size) +
           " px and noise " + std::to_string(o.gan.noise_dim) + ", but " + first_path.string() + " is a " + first.gan.arch +
           " of " + std::to_string(first.gan.image_size) + " px and noise " + std::to_string(first.gan.noise_dim) +
           ". Hint: give snapshots of one run.");
    summary.checkpoint_sha256.push_back(sha256_file_hex(path));
    summary.checkpoint_step.push_back(info.step);
  }
  summary.arch = first.gan.arch;
  std::optional<LoadedUpsampler> upsampler;
  if (!options.upsampler.empty()) {
    upsampler = load_upsampler(options.upsampler, device);
    if (upsampler->from_size != first.gan.image_size)
      fail(ErrorCode::invalid_argument, upsampler->path.string() + ": an upsampler from " +
           std::to_string(upsampler->from_size) + " px, but " + first_path.string() + " draws " +
           std::to_string(first.gan.image_size) + " px images. Hint: train it on this GAN's run (train-upsampler --gan RUN).");
  }
  std::filesystem::create_directories(options.out_dir);

  const auto k_count = static_cast<int>(checkpoints.size());
  std::vector<std::pair<std::string, std::string>> text = {
      {"Description", "SYNTHETIC image generated by osgan (a GAN); not a patient image"},
      {"osgan:synthetic", "true"},
      {"osgan:arch", summary.arch},
      {"osgan:seed", std::to_string(options.seed)},
      {"osgan:noise_scale", std::to_string(options.noise_scale)},
      {"Software", std::string("osgan ") + OSGAN_VERSION}};
  if (upsampler) {
    text.emplace_back("osgan:upsampler_sha256", upsampler->sha256);
    text.emplace_back("osgan:upsampler_step", std::to_string(upsampler->step));
  }
  // A mode-conditioned GAN draws its modes in the training side's shares, interleaved in file order.
  const auto image_modes = first.gan.modes > 0 ? interleaved_modes(first.gan.mode_shares, options.count)
                                               : std::vector<std::int64_t>{};
  summary.files.resize(options.count);
  std::map<int, torch::Tensor> grid_images;  // index -> (1, S, S), the first grid_count images
  for (int k = 0; k < k_count; ++k) {
    std::vector<int> indices;  // this checkpoint's images (one run's snapshots: k, k + K, k + 2K, ...)
    for (int i = 0; i < options.count; ++i) if (source[i] == k) indices.push_back(i);
    if (indices.empty()) continue;
    auto gan = load_gan_from_checkpoint(checkpoints[k], device);
    auto tagged = text;
    tagged.emplace_back("osgan:checkpoint_sha256", summary.checkpoint_sha256[k]);
    tagged.emplace_back("osgan:checkpoint_step", std::to_string(summary.checkpoint_step[k]));
    if (mixture) {
      const auto c = std::upper_bound(begin.begin(), begin.end(), k) - begin.begin() - 1;
      tagged.emplace_back("osgan:mixture_component", std::to_string(c));
    }
    for (std::size_t b = 0; b < indices.size(); b += options.batch_size) {
      const auto n = std::min<std::size_t>(options.batch_size, indices.size() - b);
      std::vector<torch::Tensor> noise;
      for (std::size_t j = b; j < b + n; ++j) noise.push_back(noise_for_index(options.seed, indices[j], first.gan.noise_dim));
      auto z = torch::cat(noise) * options.noise_scale;  // (n, Z, 1, 1)
      if (!image_modes.empty()) {
        std::vector<std::int64_t> modes;
        for (std::size_t j = b; j < b + n; ++j) modes.push_back(image_modes[static_cast<std::size_t>(indices[j])]);
        z = with_mode(z, torch::tensor(modes, torch::kLong), first.gan);
      }
      auto images = gan->generate(z, options.use_ema);  // (n, 1, S, S)
      if (upsampler) {
        torch::NoGradGuard no_grad;
        images = upsampler->model->forward(images.to(device)).clamp(-1, 1);  // (n, 1, f S, f S)
      }
      images = images.to(torch::kCPU);
      for (std::size_t j = 0; j < n; ++j) {
        const int index = indices[b + j];
        auto image_text = tagged;
        image_text.emplace_back("osgan:index", std::to_string(index + 1));
        if (!image_modes.empty())
          image_text.emplace_back("osgan:mode", std::to_string(image_modes[static_cast<std::size_t>(index)]));
        const auto path = options.out_dir / file_name(index + 1);
        io::write_png_grey8(path, to_grey8(tensor_to_image(images[j])), image_text);
        summary.files[index] = path;
        if (index < options.grid_count) grid_images[index] = images[j];
      }
    }
  }
  // In a subfolder: folder readers (train-classifier --synthetic, evaluate-images, the study) read only the top
  // level, so the mosaic is never taken for one more synthetic image.
  std::vector<torch::Tensor> grid;
  for (const auto& entry : grid_images) grid.push_back(entry.second);
  summary.grid = options.out_dir / "preview" / "grid.png";
  std::filesystem::create_directories(summary.grid.parent_path());
  io::write_png_grey8(summary.grid, make_image_grid(torch::stack(grid)), text);
  std::string steps;
  for (const auto step : summary.checkpoint_step) steps += (steps.empty() ? "" : ", ") + std::to_string(step);
  log_info("[generate] " + std::to_string(options.count) + " synthetic images from " +
           (mixture ? std::to_string(components.size()) + " GANs (" + std::to_string(k_count) + " checkpoints)"
                    : k_count == 1 ? first_path.string() : std::to_string(k_count) + " snapshots") + " (" + summary.arch +
           ", step " + steps + ") in " + options.out_dir.string());
  return summary;
}

}  // namespace osgan
