// The One-Shot GAN discriminator (Sushko, Gall, Khoreva, "One-Shot GAN", CVPRW 2021; spec 1.4): a low-level
// extractor on multi-scale inputs, then a content branch (global average pool, 1x1 blocks) and a layout branch
// (1-channel spatial maps), with an SN 1x1 logit head after every block. N = batch, C = channels, H, W = spatial.
// Optional (arch.minibatch_std, not in the published model): both branches also read the batch's feature spread.
#pragma once
#include <vector>

#include <torch/torch.h>

#include "osgan/models/one_shot_gan/architecture.h"
#include "osgan/models/one_shot_gan/feature_augmentation.h"
#include "osgan/models/one_shot_gan/sn_conv2d.h"

namespace osgan::one_shot {

// D_block(in, out), mid = min(in, out): main = [lrelu unless is_first] -> SN conv -> lrelu -> SN conv -> pool;
// shortcut = SN conv1x1 (no bias) -> pool, or identity for a content block with in == out. Content blocks use
// 1x1 kernels and no pooling; the others 3x3 (pad 1) and AvgPool2d(2).
class DiscriminatorBlockImpl : public torch::nn::Cloneable<DiscriminatorBlockImpl> {
 public:
  DiscriminatorBlockImpl(int in_channels, int out_channels, bool is_first, bool only_content);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x);  // (N, Cin, H, W) -> (N, Cout, H/2, W/2) (content: same H, W)

  int in_channels, out_channels;
  bool is_first, only_content;
  SNConv2d conv1{nullptr}, conv2{nullptr}, shortcut{nullptr};  // shortcut is null for the identity case
};
TORCH_MODULE(DiscriminatorBlock);

struct DiscriminatorOutput {
  std::vector<torch::Tensor> low_level;  // blocks_d_low x (N, 1, H_i, W_i) logit maps
  std::vector<torch::Tensor> content;    // (blocks_d - blocks_d_low) x (N, 1, 1, 1) logits
  std::vector<torch::Tensor> layout;     // (blocks_d - blocks_d_low) x (N, 1, H_j, W_j) logit maps
  torch::Tensor low_level_features;      // (N, C_low, H / 2^blocks_d_low, ...): the map both branches read, before FA
};

// Usage: Discriminator d(arch);  auto out = d(images);  // images: >= blocks_d_low tensors, finest LAST,
// images[end - 1 - i]: (N, C_img, H / 2^i, W / 2^i), values in [-1, 1].
// fa (for real batches only): feature augmentation of the pooled content vector and the layout map.
// modes (N,) int64, for a mode-conditioned D (arch.modes > 0, else undefined): content head j's logit gains the
// projection <mode_embedding_j[mode], h_j> of its input h_j (N, C_j) (Miyato & Koyama 2018). The embeddings start
// at zero, so a conditioned D starts as the unconditioned one; the low-level and layout branches never read the mode.
class DiscriminatorImpl : public torch::nn::Cloneable<DiscriminatorImpl> {
 public:
  explicit DiscriminatorImpl(const Architecture& arch);
  void reset() override;
  DiscriminatorOutput forward(const std::vector<torch::Tensor>& images, const FeatureAugmentParams* fa = nullptr,
                              const torch::Tensor& modes = {});
  // arch.reconstruction only (FastGAN's decoder, Liu et al. 2021): the image redrawn from the D_low map, mirroring the
  // low-level extractor: blocks_d_low x [nearest x2, SN conv3x3 C_{i+1} -> C_i, lrelu], then SN conv3x3 C_0 -> C_img,
  // tanh. (N, C_low, h, w) -> (N, C_img, H, W).
  torch::Tensor reconstruct(const torch::Tensor& low_level_features);

  Architecture arch;
  torch::nn::ModuleList from_rgb{nullptr}, low_level{nullptr}, content{nullptr}, layout{nullptr};
  torch::nn::ModuleList low_level_heads{nullptr}, content_heads{nullptr}, layout_heads{nullptr};
  std::vector<torch::Tensor> mode_embeddings;  // arch.modes > 0: one (modes, C_j) per content head, "mode_embedding_j"
  torch::nn::ModuleList decoder{nullptr};      // arch.reconstruction: blocks_d_low + 1 SN convs; registered last
};
TORCH_MODULE(Discriminator);

// The real-image pyramid for D: [.., x at 1/4, x at 1/2, x] (finest last, `levels` entries) by repeated bilinear
// halving (align_corners false) to explicit sizes, so sizes equal G's side outputs exactly.
std::vector<torch::Tensor> image_pyramid(const torch::Tensor& x, int levels);  // x (N, C, H, W)

}  // namespace osgan::one_shot
