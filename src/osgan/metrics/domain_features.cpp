// Batched feature extraction in eval mode.
#include "osgan/metrics/domain_features.h"

namespace osgan::metrics {

torch::Tensor extract_features(models::Classifier& model, const torch::Tensor& images, const torch::Device& device,
                               int batch_size) {
  return models::run_in_batches(
      model, images, device, batch_size, [&](const torch::Tensor& batch) { return model->features(batch); },  // (B, C)
      torch::empty({0, model->feature_dim()}, torch::kFloat64));
}

}  // namespace osgan::metrics
