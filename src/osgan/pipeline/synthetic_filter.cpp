#include "osgan/pipeline/synthetic_filter.h"

#include <algorithm>
#include <numeric>

#include "osgan/core/error.h"
#include "osgan/metrics/sample_quality.h"

namespace osgan {

torch::Tensor distance_to_nearest_real(const torch::Tensor& pool, const torch::Tensor& real) {
  if (real.size(0) < 4)
    fail(ErrorCode::invalid_argument, "filter \"nearest\": expected at least 4 real training images of the class, found " +
         std::to_string(real.size(0)));
  const metrics::SampleQualityReference reference(real);
  const auto generated = reference.features_of(pool);                    // (N, D)
  return torch::cdist(generated, reference.real_features()).amin(1);     // (N)
}

std::vector<int64_t> select_synthetic(const torch::Tensor& pool, const torch::Tensor& real, int64_t count,
                                      const std::string& filter) {
  const int64_t n = pool.size(0);
  if (count < 0 || count > n)
    fail(ErrorCode::invalid_argument, "the ratio asks for " + std::to_string(count) + " generated images of a class "
         "whose folder holds " + std::to_string(n) + ": lower study.ratios or generate more (generate.count)");
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (filter == "nearest") {
    const auto d = distance_to_nearest_real(pool, real).contiguous();
    const double* dist = d.data_ptr<double>();
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return dist[a] < dist[b]; });
  } else if (filter != "none") {
    fail(ErrorCode::invalid_argument, "unknown synthetic filter \"" + filter + "\" (known: none, nearest)");
  }
  order.resize(count);
  return order;
}

}  // namespace osgan
