#include "osgan/models/cascade/patch_discriminator.h"

namespace osgan::cascade {
namespace {
namespace F = torch::nn::functional;

torch::Tensor lrelu(const torch::Tensor& x) { return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)); }

one_shot::SNConv2d sn_conv3x3(int in, int out) {
  return one_shot::SNConv2d(one_shot::SNConv2dOptions(in, out, 3).padding(1));
}
}  // namespace

PatchDiscriminatorImpl::PatchDiscriminatorImpl(int base_channels) {
  const int c = base_channels;
  conv0 = register_module("conv0", sn_conv3x3(1, c));
  conv1 = register_module("conv1", sn_conv3x3(c, 2 * c));
  conv2 = register_module("conv2", sn_conv3x3(2 * c, 4 * c));
  out = register_module("out", sn_conv3x3(4 * c, 1));
}

torch::Tensor PatchDiscriminatorImpl::forward(const torch::Tensor& x) {
  auto h = F::avg_pool2d(lrelu(conv0(x)), F::AvgPool2dFuncOptions(2));  // (N, C, H/2, W/2)
  h = F::avg_pool2d(lrelu(conv1(h)), F::AvgPool2dFuncOptions(2));       // (N, 2C, H/4, W/4)
  return out(lrelu(conv2(h)));                                          // (N, 1, H/4, W/4)
}

}  // namespace osgan::cascade
