#include "osgan/train/mode_condition.h"

#include <cmath>
#include <sstream>

#include "osgan/core/error.h"

namespace osgan {

torch::Tensor mode_noise_means(int modes, int noise_dim, double radius) {
  auto generator = at::detail::createCPUGenerator(0x6d6f6465ULL);  // "mode": fixed, never the run's seed
  auto means = torch::randn({modes, noise_dim}, generator);       // (K, Z)
  return means / means.norm(2, 1, /*keepdim=*/true) * radius;
}

torch::Tensor with_mode(const torch::Tensor& z, const torch::Tensor& modes, const GanConfig& config) {
  TORCH_CHECK(z.dim() == 4 && modes.dim() == 1 && modes.size(0) == z.size(0), "with_mode: expected z (N, Z, 1, 1) and "
              "modes (N,), got ", z.sizes(), " and ", modes.sizes());
  const auto means = mode_noise_means(config.modes, config.noise_dim, config.mode_noise_radius).to(z.device());
  return z + means.index_select(0, modes.to(z.device(), torch::kLong)).view({z.size(0), z.size(1), 1, 1});
}

std::vector<std::int64_t> interleaved_modes(const std::vector<double>& shares, std::int64_t count) {
  std::vector<std::int64_t> modes, drawn(shares.size(), 0);
  for (std::int64_t i = 1; i <= count; ++i) {
    std::size_t best = 0;
    double best_deficit = -1e300;
    for (std::size_t k = 0; k < shares.size(); ++k) {
      const double deficit = shares[k] * static_cast<double>(i) - static_cast<double>(drawn[k]);
      if (deficit > best_deficit + 1e-12) best_deficit = deficit, best = k;
    }
    ++drawn[best];
    modes.push_back(static_cast<std::int64_t>(best));
  }
  return modes;
}

void validate_mode_condition(const GanConfig& c) {
  if (c.modes == 0 && c.mode_shares.empty()) return;
  auto refuse = [](const std::string& what) {
    fail(ErrorCode::invalid_argument, "mode condition: " + what + ". Hint: the modes come from sample_modes (one mode "
         "per listed sample, 0 .. K-1, each used); modes and mode_shares are derived from it.");
  };
  if (c.modes < 2 || c.modes > 32) refuse("expected 2 to 32 modes, got " + std::to_string(c.modes));
  if (c.arch != "one-shot") refuse("only the one-shot architecture can be conditioned, got " + c.arch);
  if (static_cast<int>(c.mode_shares.size()) != c.modes)
    refuse("expected " + std::to_string(c.modes) + " mode_shares, got " + std::to_string(c.mode_shares.size()));
  double sum = 0;
  for (const auto s : c.mode_shares) {
    if (!(s > 0 && s <= 1)) refuse("every mode share must be in (0, 1], got " + std::to_string(s));
    sum += s;
  }
  if (std::abs(sum - 1) > 1e-6) refuse("the mode shares must sum to 1, got " + std::to_string(sum));
  if (!(c.mode_noise_radius > 0 && c.mode_noise_radius <= 100))
    refuse("mode_noise_radius: expected a number in (0, 100], got " + std::to_string(c.mode_noise_radius));
}

}  // namespace osgan
