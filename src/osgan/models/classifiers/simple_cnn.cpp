// The custom CNN backbone.
#include "osgan/models/classifiers/simple_cnn.h"

#include "osgan/core/error.h"
#include "osgan/models/classifiers/resnet_v2.h"

namespace osgan::models {
namespace nn = torch::nn;

SimpleCnnImpl::SimpleCnnImpl(double width) {
  if (!(width > 0)) fail(ErrorCode::invalid_argument, "SimpleCnn: expected width > 0, got " + std::to_string(width));
  features = nn::Sequential();
  int64_t in = 1;
  for (int64_t base : {32, 64, 128, 128}) {
    const int64_t out = scaled_channels(base, width);
    features->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1).bias(false)));
    features->push_back(nn::BatchNorm2d(out));
    features->push_back(nn::Functional([](const torch::Tensor& t) { return torch::relu(t); }));
    features->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
    in = out;
  }
  out_channels_ = in;
  features = register_module("features", features);
}

torch::Tensor SimpleCnnImpl::forward(const torch::Tensor& x) {
  return features->forward(x);  // (N, 1, H, W) -> (N, C_out, H/16, W/16)
}

}  // namespace osgan::models
