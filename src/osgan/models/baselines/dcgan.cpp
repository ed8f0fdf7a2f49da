#include "osgan/models/baselines/dcgan.h"

#include "osgan/core/error.h"

namespace osgan {
namespace {

namespace nn = torch::nn;

// Radford et al. 2016: conv weights ~ N(0, 0.02); BatchNorm scale ~ N(1, 0.02), shift 0.
void init_dcgan_weights(nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& m : module.modules(/*include_self=*/false)) {
    if (auto* conv = m->as<nn::Conv2d>()) conv->weight.normal_(0.0, 0.02);
    else if (auto* convt = m->as<nn::ConvTranspose2d>()) convt->weight.normal_(0.0, 0.02);
    else if (auto* bn = m->as<nn::BatchNorm2d>()) {
      bn->weight.normal_(1.0, 0.02);
      bn->bias.zero_();
    }
  }
}

void check_size(const GanConfig& config) {
  if (config.image_size < 16 || config.image_size % 8 != 0)
    fail(ErrorCode::invalid_argument, "dcgan: expected an image size that is a multiple of 8 (at least 16), got " +
         std::to_string(config.image_size) + ". Hint: use --image-size 64 or 128.");
  if (config.channels_g < 1 || config.channels_d < 1 || config.noise_dim < 1)
    fail(ErrorCode::invalid_argument, "dcgan: channel bases and noise_dim must be positive");
}

}  // namespace

DcganGeneratorImpl::DcganGeneratorImpl(const GanConfig& config) {
  check_size(config);
  const int c_in = 8 * config.channels_g, c_up = 4 * config.channels_g;
  project = register_module("project", nn::ConvTranspose2d(
      nn::ConvTranspose2dOptions(config.noise_dim, c_in, /*kernel_size=*/config.image_size / 8)));
  up = register_module("up", nn::Sequential());
  for (int i = 0; i < 3; ++i) {
    up->push_back(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(i == 0 ? c_in : c_up, c_up, /*kernel_size=*/4)
                                          .stride(2).padding(1).bias(false)));
    // Keras BatchNormalization(momentum=0.8) keeps 0.8 of the old running value: PyTorch momentum 0.2.
    up->push_back(nn::BatchNorm2d(nn::BatchNorm2dOptions(c_up).momentum(0.2)));
    up->push_back(nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)));
  }
  to_image = register_module("to_image", nn::Conv2d(nn::Conv2dOptions(c_up, 1, /*kernel_size=*/3).padding(1)));
  init_dcgan_weights(*this);
}

torch::Tensor DcganGeneratorImpl::forward(const torch::Tensor& z) {
  auto x = torch::leaky_relu(project(z), 0.2);  // (N, 8 ch_G, S/8, S/8)
  x = up->forward(x);                            // (N, 4 ch_G, S, S)
  return torch::tanh(to_image(x));               // (N, 1, S, S)
}

ScriptedGenerator DcganGeneratorImpl::script() {
  ScriptedGenerator s;
  s.line("x = torch.conv_transpose2d(x, " + s.tensor("project_weight", project->weight) + ", " +
         s.tensor("project_bias", project->bias) + ")");
  s.line("x = " + leaky_relu_expr("x", 0.2) + "  # (N, 8 ch_G, S/8, S/8)");
  for (std::size_t i = 0; i < up->size(); ++i) {
    const auto name = "up_" + std::to_string(i);
    if (auto* convt = up[i]->as<nn::ConvTranspose2d>()) {
      s.line("x = torch.conv_transpose2d(x, " + s.tensor(name + "_weight", convt->weight) + ", None, [2, 2], [1, 1])");
    } else if (auto* bn = up[i]->as<nn::BatchNorm2d>()) {
      s.line("x = torch.batch_norm(x, " + s.tensor(name + "_weight", bn->weight) + ", " +
             s.tensor(name + "_bias", bn->bias) + ", " + s.tensor(name + "_running_mean", bn->running_mean) + ", " +
             s.tensor(name + "_running_var", bn->running_var) + ", False, 0.0, " +
             number_literal(bn->options.eps()) + ", False)");
    } else if (up[i]->as<nn::LeakyReLU>()) {
      s.line("x = " + leaky_relu_expr("x", 0.2));
    } else {
      throw std::logic_error("DcganGenerator::script: a layer it does not know at up[" + std::to_string(i) + "]");
    }
  }
  s.line("x = torch.tanh(torch.conv2d(x, " + s.tensor("to_image_weight", to_image->weight) + ", " +
         s.tensor("to_image_bias", to_image->bias) + ", [1, 1], [1, 1]))  # (N, 1, S, S)");
  return s;
}

DcganDiscriminatorImpl::DcganDiscriminatorImpl(const GanConfig& config) {
  check_size(config);
  const int c = config.channels_d;
  features = register_module("features", nn::Sequential());
  const int channels[] = {1, 2 * c, 4 * c, 4 * c, 8 * c};
  for (int i = 0; i < 4; ++i) {
    features->push_back(nn::Conv2d(nn::Conv2dOptions(channels[i], channels[i + 1], /*kernel_size=*/3)
                                       .stride(i == 0 ? 1 : 2).padding(1)));
    features->push_back(nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)));
  }
  dropout = register_module("dropout", nn::Dropout(0.4));
  const int side = config.image_size / 8;
  decision = register_module("decision", nn::Linear(8 * c * side * side, 1));
  init_dcgan_weights(*this);
}

torch::Tensor DcganDiscriminatorImpl::forward(const torch::Tensor& x) {
  auto h = features->forward(x).flatten(1);  // (N, 8 ch_D * S/8 * S/8)
  return decision(dropout(h));               // (N, 1)
}

}  // namespace osgan
