#include "osgan/models/baselines/vanilla_gan.h"

#include "osgan/core/error.h"

namespace osgan {
namespace {

namespace nn = torch::nn;

void check_config(const GanConfig& config) {
  if (config.image_size < 4 || config.image_size > 256)
    fail(ErrorCode::invalid_argument, "vanilla: expected an image size from 4 to 256, got " +
         std::to_string(config.image_size) + " (the fully connected layers grow with its square)");
  if (config.channels_g < 1 || config.channels_d < 1 || config.noise_dim < 1)
    fail(ErrorCode::invalid_argument, "vanilla: channel bases and noise_dim must be positive");
}

nn::LeakyReLU leaky() { return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)); }

}  // namespace

VanillaGeneratorImpl::VanillaGeneratorImpl(const GanConfig& config) : image_size_(config.image_size) {
  check_config(config);
  const int c = config.channels_g;
  body = register_module("body", nn::Sequential(
      nn::Linear(config.noise_dim, 8 * c), leaky(),
      nn::Linear(8 * c, 16 * c), leaky(),
      nn::Linear(16 * c, 32 * c), leaky(),
      nn::Linear(32 * c, image_size_ * image_size_), nn::Tanh()));
}

torch::Tensor VanillaGeneratorImpl::forward(const torch::Tensor& z) {
  auto x = body->forward(z.flatten(1));              // (N, S*S)
  return x.view({-1, 1, image_size_, image_size_});  // (N, 1, S, S)
}

ScriptedGenerator VanillaGeneratorImpl::script() {
  ScriptedGenerator s;
  s.line("x = x.flatten(1)  # (N, Z)");
  for (std::size_t i = 0; i < body->size(); ++i) {
    const auto name = "body_" + std::to_string(i);
    if (auto* linear = body[i]->as<nn::Linear>()) {
      // aten::linear with a bias is addmm(bias, x, W^T): the same kernel, the same numbers.
      s.line("x = torch.addmm(" + s.tensor(name + "_bias", linear->bias) + ", x, " +
             s.tensor(name + "_weight", linear->weight) + ".t())");
    } else if (body[i]->as<nn::LeakyReLU>()) {
      s.line("x = " + leaky_relu_expr("x", 0.2));
    } else if (body[i]->as<nn::Tanh>()) {
      s.line("x = torch.tanh(x)");
    } else {
      throw std::logic_error("VanillaGenerator::script: a layer it does not know at body[" + std::to_string(i) + "]");
    }
  }
  s.line("x = x.view([-1, 1, " + std::to_string(image_size_) + ", " + std::to_string(image_size_) + "])  # (N, 1, S, S)");
  return s;
}

VanillaDiscriminatorImpl::VanillaDiscriminatorImpl(const GanConfig& config) {
  check_config(config);
  const int c = config.channels_d;
  body = register_module("body", nn::Sequential(
      nn::Linear(config.image_size * config.image_size, 16 * c), leaky(), nn::Dropout(0.3),
      nn::Linear(16 * c, 8 * c), leaky(), nn::Dropout(0.3),
      nn::Linear(8 * c, 1)));
}

torch::Tensor VanillaDiscriminatorImpl::forward(const torch::Tensor& x) {
  return body->forward(x.flatten(1));  // (N, S*S) -> (N, 1)
}

}  // namespace osgan
