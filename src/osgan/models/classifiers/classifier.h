// A binary image classifier: a backbone (ResNet V2, MobileNetV2, the custom CNN, or a user's TorchScript
// module) followed by the seed study's head: flatten -> dense 256 -> ReLU -> dropout -> dense 1 (one logit;
// sigmoid gives P(positive class), trained with BCE). Images (N, 1, H, W) in [-1, 1].
//
//   ClassifierConfig config;  config.arch = "resnet18";  config.width = 0.25;  config.image_size = 64;
//   Classifier model(config);  auto p = torch::sigmoid(model->forward(images));  // (N)
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "osgan/models/classifiers/backbone.h"

namespace osgan::models {

struct ClassifierConfig {
  std::string arch = "resnet18";  // resnet18, resnet34, resnet50, resnet101, resnet152, mobilenet_v2, cnn, torchscript
  double width = 1.0;             // channel multiplier (not for torchscript)
  int image_size = 128;           // square input size the head was built for
  int head_units = 256;
  double dropout = 0.5;
  std::string head_pool = "flatten";  // "flatten" (the seed's head) or "avg" (global average pool first)
  std::string backbone_file;          // arch "torchscript": the module's path
  bool freeze_backbone = true;        // arch "torchscript": keep the user's weights fixed
  bool test_time_flips = false;       // predictions average the logits of the image and its mirror image
  std::string input_norm = "none";    // "head": crop to the head and z-score inside it first (head_normalisation.h)
};

nlohmann::json to_json(const ClassifierConfig& config);
ClassifierConfig classifier_config_from_json(const nlohmann::json& j);  // throws osgan::Error on bad fields

// The architecture names make_backbone accepts.
std::vector<std::string> classifier_arch_names();

// Builds the backbone named by config.arch; throws osgan::Error listing the known names otherwise.
std::shared_ptr<BackboneImpl> make_backbone(const ClassifierConfig& config);

// N = batch, C = backbone channels, F = feature dimension.
class ClassifierImpl : public torch::nn::Module {
 public:
  explicit ClassifierImpl(const ClassifierConfig& config);
  torch::Tensor forward(const torch::Tensor& x);   // (N, 1, S, S) -> logits (N)
  // The domain feature space used by FID/KID/precision-recall: the backbone map, globally average pooled.
  torch::Tensor features(const torch::Tensor& x);  // (N, 1, S, S) -> (N, C)
  const ClassifierConfig& config() const { return config_; }
  // What the network sees of an input: x itself, or its head normalisation (config.input_norm).
  torch::Tensor prepare(const torch::Tensor& x) const;
  int64_t feature_dim() const { return backbone->out_channels(); }

  std::shared_ptr<BackboneImpl> backbone;
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::nn::Dropout dropout{nullptr};

 private:
  ClassifierConfig config_;
};
TORCH_MODULE(Classifier);

// Inference over many images: applies `per_batch` to `images` (N, 1, S, S) in slices of `batch_size` moved to
// `device`, in eval mode without gradients, and concatenates the results along dim 0 on the CPU as float64.
// Returns `when_empty` for N = 0. Used for probabilities (N) and for domain features (N, C).
torch::Tensor run_in_batches(Classifier& model, const torch::Tensor& images, const torch::Device& device, int batch_size,
                             const std::function<torch::Tensor(const torch::Tensor&)>& per_batch,
                             const torch::Tensor& when_empty);

// Parameters with requires_grad (a frozen TorchScript backbone contributes none).
std::vector<torch::Tensor> trainable_parameters(Classifier& model);
int64_t parameter_count(Classifier& model);

}  // namespace osgan::models
