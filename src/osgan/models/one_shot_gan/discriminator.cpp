// One-Shot GAN discriminator (spec 1.4). Every conv is spectrally normalised; init: see init.h.
#include "osgan/models/one_shot_gan/discriminator.h"

#include <algorithm>
#include <string>

namespace osgan::one_shot {
namespace {
namespace F = torch::nn::functional;

torch::Tensor lrelu(const torch::Tensor& x) { return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)); }
torch::Tensor pool(const torch::Tensor& x) { return F::avg_pool2d(x, F::AvgPool2dFuncOptions(2)); }
SNConv2d head(int in_channels) { return SNConv2d(SNConv2dOptions(in_channels, 1, 1)); }

// The batch's feature spread as one number (Karras et al. 2018, minibatch standard deviation with one group): the
// standard deviation over the batch of every feature, averaged. A batch of near-copies scores near 0.
torch::Tensor batch_spread(const torch::Tensor& x) {  // x (N, C, H, W) -> () scalar
  return (x.var(0, /*unbiased=*/false) + 1e-8).sqrt().mean();
}

// x with the spread appended as one more constant channel: (N, C, H, W) -> (N, C + 1, H, W).
torch::Tensor with_spread(const torch::Tensor& x, const torch::Tensor& spread) {
  return torch::cat({x, spread.expand({x.size(0), 1, x.size(2), x.size(3)})}, 1);
}
}  // namespace

DiscriminatorBlockImpl::DiscriminatorBlockImpl(int in, int out, bool first, bool content_only)
    : in_channels(in), out_channels(out), is_first(first), only_content(content_only) {
  reset();
}

void DiscriminatorBlockImpl::reset() {
  const int mid = std::min(in_channels, out_channels);
  const int k = only_content ? 1 : 3, pad = only_content ? 0 : 1;
  conv1 = register_module("conv1", SNConv2d(SNConv2dOptions(in_channels, mid, k).padding(pad)));
  conv2 = register_module("conv2", SNConv2d(SNConv2dOptions(mid, out_channels, k).padding(pad)));
  if (in_channels != out_channels || !only_content)
    shortcut = register_module("shortcut", SNConv2d(SNConv2dOptions(in_channels, out_channels, 1).bias(false)));
}

torch::Tensor DiscriminatorBlockImpl::forward(const torch::Tensor& x) {
  auto h = conv2(lrelu(conv1(is_first ? x : lrelu(x))));
  auto s = shortcut ? shortcut(x) : x;
  if (!only_content) {
    h = pool(h);
    s = pool(s);
  }
  return h + s;
}

DiscriminatorImpl::DiscriminatorImpl(const Architecture& arch_) : arch(arch_) { reset(); }

void DiscriminatorImpl::reset() {
  const auto& ch = arch.channels_d;
  auto at = [&](int i) { return ch[static_cast<std::size_t>(i)]; };
  from_rgb = register_module("from_rgb", torch::nn::ModuleList());
  low_level = register_module("low_level", torch::nn::ModuleList());
  content = register_module("content", torch::nn::ModuleList());
  layout = register_module("layout", torch::nn::ModuleList());
  low_level_heads = register_module("low_level_heads", torch::nn::ModuleList());
  content_heads = register_module("content_heads", torch::nn::ModuleList());
  layout_heads = register_module("layout_heads", torch::nn::ModuleList());
  for (int i = 0; i < arch.blocks_d_low; ++i) {
    // Block 0 sees the full-res image; block i > 0 gets C_i / 8 extra channels from the image at 1/2^i.
    const int rgb_out = i == 0 ? at(0) : at(i) / arch.feature_prev_ratio;
    from_rgb->push_back(SNConv2d(SNConv2dOptions(arch.image_channels, rgb_out, 3).padding(1)));
    const int in = i == 0 ? at(0) : at(i) + rgb_out;
    low_level->push_back(DiscriminatorBlock(in, at(i + 1), /*is_first=*/i == 0, /*only_content=*/false));
    low_level_heads->push_back(head(at(i + 1)));
  }
  const int spread_channels = arch.minibatch_std ? 1 : 0;  // the branches' first blocks also read the batch spread
  for (int i = arch.blocks_d_low; i < arch.blocks_d; ++i) {
    const bool first = i == arch.blocks_d_low;
    content->push_back(DiscriminatorBlock(at(i) + (first ? spread_channels : 0), at(i + 1), /*is_first=*/false,
                                          /*only_content=*/true));
    content_heads->push_back(head(at(i + 1)));
    // The layout branch squeezes the D_low map to one channel in its first block, then stays at one.
    layout->push_back(DiscriminatorBlock(first ? at(i) + spread_channels : 1, 1, /*is_first=*/false, /*only_content=*/false));
    layout_heads->push_back(head(1));
  }
  mode_embeddings.clear();
  for (int i = arch.blocks_d_low; arch.modes > 0 && i < arch.blocks_d; ++i)
    mode_embeddings.push_back(register_parameter("mode_embedding_" + std::to_string(i - arch.blocks_d_low),
                                                 torch::zeros({arch.modes, at(i + 1)})));  // (K, C_j)
  // Last, so that a D with a decoder draws every other weight as the D without one does (same seed, same weights).
  decoder = nullptr;
  if (!arch.reconstruction) return;
  decoder = register_module("decoder", torch::nn::ModuleList());
  for (int i = arch.blocks_d_low; i > 0; --i) decoder->push_back(SNConv2d(SNConv2dOptions(at(i), at(i - 1), 3).padding(1)));
  decoder->push_back(SNConv2d(SNConv2dOptions(at(0), arch.image_channels, 3).padding(1)));
}

DiscriminatorOutput DiscriminatorImpl::forward(const std::vector<torch::Tensor>& images, const FeatureAugmentParams* fa,
                                               const torch::Tensor& modes) {
  const auto n_low = static_cast<std::size_t>(arch.blocks_d_low);
  TORCH_CHECK(images.size() >= n_low, "Discriminator: expected at least ", n_low, " image scales, got ", images.size());
  const auto& full = images.back();
  TORCH_CHECK(full.dim() == 4 && full.size(1) == arch.image_channels && full.size(2) == arch.image_size &&
                  full.size(3) == arch.image_size,
              "Discriminator: expected finest images (N, ", arch.image_channels, ", ", arch.image_size, ", ",
              arch.image_size, "), got ", full.sizes());
  TORCH_CHECK(modes.defined() == (arch.modes > 0), "Discriminator: ", arch.modes > 0 ? "expected" : "did not expect",
              " the images' modes (arch.modes = ", arch.modes, ")");
  if (modes.defined())
    TORCH_CHECK(modes.dim() == 1 && modes.size(0) == full.size(0), "Discriminator: expected modes (", full.size(0),
                "), got ", modes.sizes());
  DiscriminatorOutput out;
  torch::Tensor x;
  // (a) Low-level extractor on the multi-scale inputs, finest first.
  for (std::size_t i = 0; i < n_low; ++i) {
    const auto& img = images[images.size() - 1 - i];  // (N, C_img, H / 2^i, W / 2^i)
    auto rgb = from_rgb->at<SNConv2dImpl>(i).forward(img);
    x = i == 0 ? rgb : torch::cat({x, rgb}, 1);
    x = low_level->at<DiscriminatorBlockImpl>(i).forward(x);  // (N, C_{i+1}, H / 2^{i+1}, W / 2^{i+1})
    out.low_level.push_back(low_level_heads->at<SNConv2dImpl>(i).forward(x));
  }
  out.low_level_features = x;
  // (b) Content branch: spatial information removed by global average pooling.
  auto c = x.mean({2, 3}, /*keepdim=*/true);  // (N, C, 1, 1)
  if (fa) c = apply_content_augment(*fa, c);
  // (c) Layout branch: the same map, squeezed to one channel.
  auto l = fa ? apply_layout_augment(*fa, x) : x;  // (N, C, h, w)
  if (arch.minibatch_std) {  // measured on the batch as it is, before feature augmentation mixes it
    const auto spread = batch_spread(x);
    c = with_spread(c, spread);  // (N, C + 1, 1, 1)
    l = with_spread(l, spread);  // (N, C + 1, h, w)
  }
  for (std::size_t j = 0; j < content->size(); ++j) {
    c = content->at<DiscriminatorBlockImpl>(j).forward(c);  // (N, C_j, 1, 1)
    auto logit = content_heads->at<SNConv2dImpl>(j).forward(c);  // (N, 1, 1, 1)
    if (modes.defined()) {
      const auto embedded = mode_embeddings[j].index_select(0, modes);  // (N, C_j)
      logit = logit + (embedded * c.flatten(1)).sum(1).view({-1, 1, 1, 1});
    }
    out.content.push_back(logit);
    l = layout->at<DiscriminatorBlockImpl>(j).forward(l);
    out.layout.push_back(layout_heads->at<SNConv2dImpl>(j).forward(l));
  }
  return out;
}

torch::Tensor DiscriminatorImpl::reconstruct(const torch::Tensor& low_level_features) {
  TORCH_CHECK(decoder, "Discriminator::reconstruct: this D has no decoder (arch.reconstruction is off)");
  TORCH_CHECK(low_level_features.dim() == 4 && low_level_features.size(1) == arch.low_level_channels(),
              "Discriminator::reconstruct: expected the D_low map (N, ", arch.low_level_channels(), ", h, w), got ",
              low_level_features.sizes());
  auto x = low_level_features;
  const auto last = decoder->size() - 1;
  for (std::size_t i = 0; i < last; ++i) {
    x = F::interpolate(x, F::InterpolateFuncOptions()
                              .size(std::vector<int64_t>{x.size(2) * 2, x.size(3) * 2})
                              .mode(torch::kNearest));
    x = lrelu(decoder->at<SNConv2dImpl>(i).forward(x));  // (N, C_i, 2h, 2w)
  }
  return torch::tanh(decoder->at<SNConv2dImpl>(last).forward(x));  // (N, C_img, H, W)
}

std::vector<torch::Tensor> image_pyramid(const torch::Tensor& x, int levels) {
  std::vector<torch::Tensor> pyramid{x};
  for (int i = 1; i < levels; ++i) {
    const auto& prev = pyramid.front();
    pyramid.insert(pyramid.begin(), F::interpolate(prev, F::InterpolateFuncOptions()
                                                             .size(std::vector<int64_t>{prev.size(2) / 2, prev.size(3) / 2})
                                                             .mode(torch::kBilinear)
                                                             .align_corners(false)));
  }
  return pyramid;
}

}  // namespace osgan::one_shot
