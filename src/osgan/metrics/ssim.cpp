// SSIM with a separable Gaussian blur in float64 (two 1D convolutions, no padding).
#include "osgan/metrics/ssim.h"

#include <cmath>
#include <limits>

#include "osgan/core/error.h"

namespace osgan::metrics {

namespace {
// N = batch, H, W = spatial; all tensors (N, 1, H, W) float64.

void check_image_batch(const torch::Tensor& t, const SsimOptions& o, const char* what) {
  if (t.dim() != 4 || t.size(1) != 1)
    fail(ErrorCode::invalid_argument, std::string(what) + ": expected images (N, 1, H, W), got " + c10::str(t.sizes()));
  if (o.window < 3 || o.window % 2 == 0)
    fail(ErrorCode::invalid_argument, std::string(what) + ": expected an odd window >= 3, got " + std::to_string(o.window));
  if (t.size(2) < o.window || t.size(3) < o.window)
    fail(ErrorCode::invalid_argument, std::string(what) + ": images " + std::to_string(t.size(2)) + "x" +
         std::to_string(t.size(3)) + " are smaller than the " + std::to_string(o.window) + "x" +
         std::to_string(o.window) + " window. Hint: use a window of 7, or larger images.");
}

// Separable Gaussian blur, valid region, as two matrix products with banded matrices (BLAS is far faster than
// a one-channel conv2d on the CPU): blur(t) = G_h t G_w^T, G[i, i + k] = g[k].
struct Blur {
  torch::Tensor g_h, g_w;  // (H - k + 1, H), (W - k + 1, W)
  Blur(const SsimOptions& o, int64_t height, int64_t width, torch::ScalarType dtype, const torch::Device& device) {
    auto x = torch::arange(o.window, torch::kFloat64) - (o.window - 1) / 2.0;
    auto g = torch::exp(-(x * x) / (2 * o.sigma * o.sigma));
    g = g / g.sum();
    g_h = band(g, height).to(device, dtype);
    g_w = band(g, width).to(device, dtype);
  }
  static torch::Tensor band(const torch::Tensor& g, int64_t n) {
    const int64_t k = g.size(0);
    auto m = torch::zeros({n - k + 1, n}, torch::kFloat64);
    for (int64_t i = 0; i + k <= n; ++i) m[i].slice(0, i, i + k).copy_(g);
    return m;
  }
  torch::Tensor operator()(const torch::Tensor& t) const {  // (N, 1, H, W) -> (N, 1, H-k+1, W-k+1)
    return g_h.matmul(t).matmul(g_w.t());
  }
};

// Mean of the SSIM map from the local statistics; every argument (N, 1, h, w).
torch::Tensor ssim_from_moments(const torch::Tensor& mu_x, const torch::Tensor& mu_y, const torch::Tensor& xx,
                                const torch::Tensor& yy, const torch::Tensor& xy, const SsimOptions& o) {
  const double c1 = o.k1 * o.k1, c2 = o.k2 * o.k2;  // L = 1 after to_unit
  auto var_x = xx - mu_x * mu_x, var_y = yy - mu_y * mu_y, cov = xy - mu_x * mu_y;
  auto map = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)) / ((mu_x * mu_x + mu_y * mu_y + c1) * (var_x + var_y + c2));
  return map.mean({1, 2, 3});  // (N)
}
torch::Tensor to_unit(const torch::Tensor& t, const SsimOptions& o) {  // [low, high] -> [0, 1], float64
  if (!(o.high > o.low)) fail(ErrorCode::invalid_argument, "ssim: expected high > low for the pixel range");
  return (t.to(torch::kFloat64) - o.low) / (o.high - o.low);
}
}  // namespace

torch::Tensor compute_ssim(const torch::Tensor& x_in, const torch::Tensor& y_in, const SsimOptions& o) {
  check_image_batch(x_in, o, "compute_ssim");
  check_image_batch(y_in, o, "compute_ssim");
  if (x_in.sizes() != y_in.sizes())
    fail(ErrorCode::invalid_argument, "compute_ssim: expected equal shapes, got " + c10::str(x_in.sizes()) + " and " +
         c10::str(y_in.sizes()));
  torch::NoGradGuard no_grad;
  auto x = to_unit(x_in, o), y = to_unit(y_in, o);
  Blur blur(o, x.size(2), x.size(3), torch::kFloat64, x.device());
  return ssim_from_moments(blur(x), blur(y), blur(x * x), blur(y * y), blur(x * y), o).cpu();
}

torch::Tensor compute_ssim_matrix(const torch::Tensor& a_in, const torch::Tensor& b_in, const SsimOptions& o) {
  check_image_batch(a_in, o, "compute_ssim_matrix");
  check_image_batch(b_in, o, "compute_ssim_matrix");
  if (a_in.sizes().slice(2) != b_in.sizes().slice(2))
    fail(ErrorCode::invalid_argument, "compute_ssim_matrix: expected equal image sizes, got " + c10::str(a_in.sizes()) +
         " and " + c10::str(b_in.sizes()));
  torch::NoGradGuard no_grad;
  // float32 here: the N x M cross terms dominate the cost (memorisation compares every generated image, in 8
  // orientations, with every real one); SSIM values agree with the float64 compute_ssim to ~1e-6.
  auto a = to_unit(a_in, o).to(torch::kFloat32), b = to_unit(b_in, o).to(torch::kFloat32);
  Blur blur(o, a.size(2), a.size(3), torch::kFloat32, a.device());
  auto mu_a = blur(a), aa = blur(a * a);  // (N, 1, h, w)
  auto mu_b = blur(b), bb = blur(b * b);  // (M, 1, h, w)
  auto out = torch::empty({a.size(0), b.size(0)}, torch::kFloat64);
  for (int64_t i = 0; i < a.size(0); ++i) {
    auto ab = blur(a[i].unsqueeze(0) * b);  // (M, 1, h, w): only the cross term needs one blur per pair
    out[i] = ssim_from_moments(mu_a[i].unsqueeze(0).expand_as(mu_b), mu_b, aa[i].unsqueeze(0).expand_as(bb), bb, ab, o)
                 .to(torch::kCPU, torch::kFloat64);
  }
  return out;
}

void SsimMetric::update(const torch::Tensor& x, const torch::Tensor& y) {
  auto s = compute_ssim(x, y, options_);
  sum_ += s.sum().item<double>();
  count_ += s.numel();
}

double SsimMetric::compute() const {
  return count_ > 0 ? sum_ / static_cast<double>(count_) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace osgan::metrics
