// Mode coverage: fit the real images' modes, assign both sets, compare the shares, and draw one grid row per mode.
#include "osgan/metrics/modes.h"

#include <algorithm>
#include <cstdio>

#include "osgan/core/error.h"
#include "osgan/train/image_tensor.h"
#include "osgan/train/sample_grid.h"

namespace osgan::metrics {
namespace {

constexpr float kRowLine = 96.f;  // grey of the lines between modes' rows and between real and generated
constexpr int kGap = 12;          // pixels between the real and the generated side

std::vector<io::Image> to_images(const torch::Tensor& images) {  // (N, 1, H, W) -> N images (H, W)
  const auto cpu = images.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  std::vector<io::Image> out;
  for (int64_t i = 0; i < cpu.size(0); ++i) out.push_back(tensor_to_image(cpu[i]));
  return out;
}

// Up to `count` members of `mode`, spread evenly over them (not the first few: those may be one source's copies).
std::vector<int64_t> members(const std::vector<int>& modes, int mode, int count) {
  std::vector<int64_t> all;
  for (size_t i = 0; i < modes.size(); ++i)
    if (modes[i] == mode) all.push_back(static_cast<int64_t>(i));
  if (static_cast<int>(all.size()) <= count) return all;
  std::vector<int64_t> picked;
  for (int j = 0; j < count; ++j) picked.push_back(all[static_cast<size_t>(j) * all.size() / count]);
  return picked;
}

// `per_side` tiles of images[rows] in one row, each at most `tile` pixels high (area average); black tiles where
// there are fewer images.
io::Image row_of(const torch::Tensor& images, const std::vector<int64_t>& rows, int per_side, int tile) {
  auto tiles = torch::full({per_side, 1, images.size(2), images.size(3)}, -1.0f);  // (per_side, 1, H, W), black
  for (size_t j = 0; j < rows.size(); ++j) tiles[static_cast<int64_t>(j)].copy_(images[rows[j]]);
  namespace F = torch::nn::functional;
  if (images.size(2) > tile) {
    const int64_t width = std::max<int64_t>(1, images.size(3) * tile / images.size(2));
    tiles = F::adaptive_avg_pool2d(tiles, F::AdaptiveAvgPool2dFuncOptions({tile, width}));
  } else if (const int64_t factor = tile / images.size(2); factor > 1) {
    // A small image (a 32 px GAN's) is enlarged by a whole factor, nearest neighbour: beside 128 px real slices it
    // is then seen at the same size, with its own pixels showing rather than smoothed into a false sharpness.
    tiles = F::interpolate(tiles, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{images.size(2) * factor, images.size(3) * factor})
                                      .mode(torch::kNearest));
  }
  return make_image_grid(tiles, /*columns=*/per_side);
}

}  // namespace

std::vector<bool> find_missed_modes(const std::vector<double>& real_shares, const std::vector<double>& generated_shares,
                                    const ModeReportOptions& o) {
  if (real_shares.size() != generated_shares.size())
    fail(ErrorCode::invalid_argument, "missed modes: expected one generated share per real share, got " +
         std::to_string(generated_shares.size()) + " and " + std::to_string(real_shares.size()));
  std::vector<bool> missed(real_shares.size());
  for (size_t m = 0; m < real_shares.size(); ++m)
    missed[m] = real_shares[m] >= o.missed_min_real_share && generated_shares[m] < o.missed_share_ratio * real_shares[m];
  return missed;
}

ModeCoverage compare_modes(const std::vector<int>& real_modes, const std::vector<int>& generated_modes, int k,
                           const ModeReportOptions& o) {
  ModeCoverage c;
  c.real_counts = data::mode_counts(real_modes, k);
  c.generated_counts = data::mode_counts(generated_modes, k);
  c.real_shares = data::mode_shares(real_modes, k);
  c.generated_shares = data::mode_shares(generated_modes, k);
  c.missed = find_missed_modes(c.real_shares, c.generated_shares, o);
  c.missed_modes = static_cast<int>(std::count(c.missed.begin(), c.missed.end(), true));
  return c;
}

ModeReport compute_mode_report(const torch::Tensor& real, const torch::Tensor& generated, const ModeReportOptions& o) {
  if (real.dim() != 4 || real.size(1) != 1 || real.size(0) < 4 || generated.dim() != 4 || generated.size(1) != 1 ||
      generated.size(0) < 1)
    fail(ErrorCode::invalid_argument, "mode report: expected real (M >= 4, 1, S, S) and generated (N >= 1, 1, S, S) "
         "images, got " + c10::str(real.sizes()) + " and " + c10::str(generated.sizes()));
  ModeReport r;
  const auto real_images = to_images(real);
  r.model = data::fit_mode_model(real_images, o.fit);
  r.real_modes = data::assign_modes(r.model, real_images);
  r.generated_modes = data::assign_modes(r.model, to_images(generated));
  r.coverage = compare_modes(r.real_modes, r.generated_modes, r.model.k(), o);
  r.generated_size = static_cast<int>(generated.size(2));
  if (generated.size(2) < real.size(2)) {
    const auto shrunk = torch::nn::functional::interpolate(  // (M, 1, S', S')
        real.to(torch::kFloat32), torch::nn::functional::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{generated.size(2), generated.size(3)})
                                      .mode(torch::kArea));
    const auto again = data::assign_modes(r.model, to_images(shrunk));
    int same = 0;
    for (std::size_t i = 0; i < again.size(); ++i) same += again[i] == r.real_modes[i];
    r.real_agreement_at_generated_size = static_cast<double>(same) / static_cast<double>(again.size());
  }
  return r;
}

nlohmann::json to_json(const ModeReport& r, const ModeReportOptions& o) {
  const auto& c = r.coverage;
  nlohmann::json modes = nlohmann::json::array();
  for (int m = 0; m < r.model.k(); ++m)
    modes.push_back({{"mode", m}, {"real_count", c.real_counts[m]}, {"real_share", c.real_shares[m]},
                     {"generated_count", c.generated_counts[m]}, {"generated_share", c.generated_shares[m]},
                     {"missed", static_cast<bool>(c.missed[m])}});
  char rule[200];
  std::snprintf(rule, sizeof rule, "a mode with >= %g%% of the real images and a generated share below %g x its real share",
                100 * o.missed_min_real_share, o.missed_share_ratio);
  nlohmann::json j = {{"feature_space", "mode features: head-masked contrast (depth profile, grey-level spread, line "
                                        "polarity) and head shape, which keep contrast and plane (data/mode_features.h)"},
                      {"fitted_on", "the real images of this class"},
                      {"modes", modes},
                      {"missed_modes", c.missed_modes},
                      {"missed_rule", rule},
                      {"generated_size", r.generated_size}};  // the size the generated images' modes were read at
  if (r.real_agreement_at_generated_size >= 0)
    j["real_agreement_at_generated_size"] = {
        {"size", r.generated_size}, {"share", r.real_agreement_at_generated_size},
        {"meaning", "share of the real images that keep their mode when shrunk to the generated images' size: how "
                    "well a generated image of that size can be assigned to a mode"}};
  j.update(data::mode_choice_to_json(r.model));
  return j;
}

io::Image make_mode_grid(const torch::Tensor& real, const std::vector<int>& real_modes, const torch::Tensor& generated,
                         const std::vector<int>& generated_modes, int k, int per_side, int tile) {
  const bool with_generated = generated.defined() && generated.numel() > 0;
  if (real.dim() != 4 || real.size(0) != static_cast<int64_t>(real_modes.size()) || k < 1 || per_side < 1 || tile < 8 ||
      (with_generated && (generated.dim() != 4 || generated.size(0) != static_cast<int64_t>(generated_modes.size()))))
    fail(ErrorCode::invalid_argument, "mode grid: expected (N, 1, H, W) images with one mode each, k >= 1 and "
         "per_side >= 1 and tile >= 8, got real " + c10::str(real.sizes()) + " with " +
         std::to_string(real_modes.size()) + " modes, k = " + std::to_string(k) + ", per_side = " +
         std::to_string(per_side) + ", tile = " + std::to_string(tile));
  const auto real_cpu = real.detach().to(torch::kCPU, torch::kFloat32);
  const auto generated_cpu = with_generated ? generated.detach().to(torch::kCPU, torch::kFloat32) : torch::Tensor();
  std::vector<io::Image> rows;
  for (int m = 0; m < k; ++m) {
    io::Image row = row_of(real_cpu, members(real_modes, m, per_side), per_side, tile);
    if (with_generated) {
      const int real_width = row.width;
      row = side_by_side(row, row_of(generated_cpu, members(generated_modes, m, per_side), per_side, tile), kGap);
      for (int y = 0; y < row.height; ++y)
        for (int x = real_width + kGap / 3; x < real_width + kGap - kGap / 3; ++x) row.at(y, x) = kRowLine;
    }
    rows.push_back(std::move(row));
  }
  int height = 0, width = 0;
  for (const auto& row : rows) height += row.height + 2, width = std::max(width, row.width);
  io::Image grid(height - 2, width, 0.f);
  int y0 = 0;
  for (const auto& row : rows) {
    for (int y = 0; y < row.height; ++y)
      for (int x = 0; x < row.width; ++x) grid.at(y0 + y, x) = row.at(y, x);
    y0 += row.height;
    for (int y = y0; y < std::min(y0 + 2, grid.height); ++y)
      for (int x = 0; x < width; ++x) grid.at(y, x) = kRowLine;
    y0 += 2;
  }
  return grid;
}

}  // namespace osgan::metrics
