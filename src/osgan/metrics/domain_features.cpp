// Batched feature extraction in eval mode.
#include "osgan/metrics/domain_features.h"

namespace osgan::metrics {

torch::Tensor extract_features(models::Classifier& model, const torch::Tensor& images, const torch::Device& device,
                               int batch_size) {
  torch::NoGradGuard no_grad;
  model->eval();
  std::vector<torch::Tensor> parts;
  for (int64_t i = 0; i < images.size(0); i += batch_size) {
    auto batch = images.slice(0, i, std::min<int64_t>(i + batch_size, images.size(0))).to(device);
    parts.push_back(model->features(batch).to(torch::kCPU, torch::kFloat64));  // (B, C)
  }
  return torch::cat(parts);
}

}  // namespace osgan::metrics
