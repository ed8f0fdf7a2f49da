// Classifier = backbone + the seed's head, and the factory by architecture name.
#include "osgan/models/classifiers/classifier.h"

#include "osgan/core/error.h"
#include "osgan/models/classifiers/head_normalisation.h"
#include "osgan/models/classifiers/mobilenet_v2.h"
#include "osgan/models/classifiers/resnet_v2.h"
#include "osgan/models/classifiers/simple_cnn.h"
#include "osgan/models/classifiers/torchscript_backbone.h"

namespace osgan::models {

std::vector<std::string> classifier_arch_names() {
  return {"resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "mobilenet_v2", "cnn", "torchscript"};
}

std::shared_ptr<BackboneImpl> make_backbone(const ClassifierConfig& c) {
  if (c.arch.rfind("resnet", 0) == 0) {
    int depth = 0;
    try { depth = std::stoi(c.arch.substr(6)); } catch (...) { depth = 0; }
    if (depth == 18 || depth == 34 || depth == 50 || depth == 101 || depth == 152)
      return std::make_shared<ResNetV2Impl>(depth, c.width);
  }
  if (c.arch == "mobilenet_v2") return std::make_shared<MobileNetV2Impl>(c.width);
  if (c.arch == "cnn") return std::make_shared<SimpleCnnImpl>(c.width);
  if (c.arch == "torchscript") {
    if (c.backbone_file.empty())
      fail(ErrorCode::invalid_argument, "classifier arch torchscript: expected a backbone file (--backbone FILE)");
    return std::make_shared<TorchScriptBackboneImpl>(c.backbone_file, c.freeze_backbone, c.image_size);
  }
  std::string names;
  for (const auto& n : classifier_arch_names()) names += (names.empty() ? "" : ", ") + n;
  fail(ErrorCode::invalid_argument, "--arch: unknown classifier \"" + c.arch + "\"; available: " + names);
}

ClassifierImpl::ClassifierImpl(const ClassifierConfig& config) : config_(config) {
  // Upper bounds too: the sizes also come from classifier.json files, and a wrong one would ask for terabytes.
  if (config.image_size < 16 || config.image_size > 2048)
    fail(ErrorCode::invalid_argument, "classifier: expected an image size in [16, 2048], got " + std::to_string(config.image_size));
  if (config.arch != "torchscript" && !(config.width > 0 && config.width <= 8))
    fail(ErrorCode::invalid_argument, "classifier: expected a width in (0, 8], got " + std::to_string(config.width));
  if (config.head_units < 1 || config.head_units > 65536)
    fail(ErrorCode::invalid_argument, "classifier: expected head units in [1, 65536], got " + std::to_string(config.head_units));
  if (config.head_pool != "flatten" && config.head_pool != "avg")
    fail(ErrorCode::invalid_argument, "classifier: head pool must be flatten or avg, got \"" + config.head_pool + "\"");
  if (!(config.dropout >= 0 && config.dropout < 1))
    fail(ErrorCode::invalid_argument, "classifier: dropout must be in [0, 1), got " + std::to_string(config.dropout));
  if (config.input_norm != "none" && config.input_norm != "head")
    fail(ErrorCode::invalid_argument, "classifier: input_norm must be none or head, got \"" + config.input_norm + "\"");
  backbone = register_module("backbone", make_backbone(config));
  int64_t head_in = backbone->out_channels();
  if (config.head_pool == "flatten") {
    torch::NoGradGuard no_grad;
    const bool was_training = backbone->is_training();
    backbone->eval();  // probe the map size without touching batch-norm statistics
    head_in = backbone->forward(torch::zeros({1, 1, config.image_size, config.image_size}))[0].numel();
    backbone->train(was_training);
  }
  fc1 = register_module("fc1", torch::nn::Linear(head_in, config.head_units));
  dropout = register_module("dropout", torch::nn::Dropout(config.dropout));
  fc2 = register_module("fc2", torch::nn::Linear(config.head_units, 1));
}

torch::Tensor ClassifierImpl::forward(const torch::Tensor& x) {
  TORCH_CHECK(x.dim() == 4 && x.size(1) == 1 && x.size(2) == config_.image_size && x.size(3) == config_.image_size,
              "Classifier::forward: expected (N, 1, ", config_.image_size, ", ", config_.image_size, "), got ",
              x.sizes(), ". Hint: preprocess images to the model's image size.");
  auto map = backbone->forward(prepare(x));  // (N, C, h, w)
  auto flat = config_.head_pool == "flatten" ? map.flatten(1) : map.mean({2, 3});  // (N, C*h*w) or (N, C)
  auto h = dropout(torch::relu(fc1(flat)));  // (N, 256)
  return fc2(h).squeeze(1);                  // (N)
}

torch::Tensor ClassifierImpl::prepare(const torch::Tensor& x) const {
  return config_.input_norm == "head" ? normalise_head(x) : x;
}

torch::Tensor ClassifierImpl::features(const torch::Tensor& x) {
  return backbone->forward(prepare(x)).mean({2, 3});  // (N, C)
}

torch::Tensor run_in_batches(Classifier& model, const torch::Tensor& images, const torch::Device& device, int batch_size,
                             const std::function<torch::Tensor(const torch::Tensor&)>& per_batch,
                             const torch::Tensor& when_empty) {
  TORCH_CHECK(batch_size > 0, "run_in_batches: expected a positive batch size, got ", batch_size);
  torch::NoGradGuard no_grad;
  model->eval();
  std::vector<torch::Tensor> parts;
  for (int64_t i = 0; i < images.size(0); i += batch_size) {
    const auto batch = images.slice(0, i, std::min<int64_t>(i + batch_size, images.size(0))).to(device);  // (B, 1, S, S)
    parts.push_back(per_batch(batch).to(torch::kCPU, torch::kFloat64));
  }
  return parts.empty() ? when_empty : torch::cat(parts);
}

std::vector<torch::Tensor> trainable_parameters(Classifier& model) {
  std::vector<torch::Tensor> out;
  for (auto& p : model->parameters())
    if (p.requires_grad()) out.push_back(p);
  return out;
}

int64_t parameter_count(Classifier& model) {
  int64_t n = 0;
  for (auto& p : model->parameters()) n += p.numel();
  return n;
}

nlohmann::json to_json(const ClassifierConfig& c) {
  return {{"arch", c.arch}, {"width", c.width}, {"image_size", c.image_size}, {"head_units", c.head_units},
          {"dropout", c.dropout}, {"head_pool", c.head_pool}, {"backbone_file", c.backbone_file},
          {"freeze_backbone", c.freeze_backbone}, {"test_time_flips", c.test_time_flips}, {"input_norm", c.input_norm}};
}

ClassifierConfig classifier_config_from_json(const nlohmann::json& j) {
  ClassifierConfig c;
  try {
    c.arch = j.at("arch").get<std::string>();
    c.width = j.value("width", c.width);
    c.image_size = j.at("image_size").get<int>();
    c.head_units = j.value("head_units", c.head_units);
    c.dropout = j.value("dropout", c.dropout);
    c.head_pool = j.value("head_pool", c.head_pool);
    c.backbone_file = j.value("backbone_file", c.backbone_file);
    c.freeze_backbone = j.value("freeze_backbone", c.freeze_backbone);
    c.test_time_flips = j.value("test_time_flips", c.test_time_flips);
    c.input_norm = j.value("input_norm", c.input_norm);
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorCode::bad_format, std::string("classifier config: ") + e.what());
  }
  return c;
}

}  // namespace osgan::models
