// The One-Shot GAN's architecture plan (Sushko et al., CVPRW 2021; spec 1.2-1.4): block counts, noise shape and
// channel lists derived from the image size, as get_recommended_config does in the published code.
// Constraint: training resolution is noise_size * 2^(blocks_g - 1); other sizes are rejected with a hint.
#pragma once
#include <cstdint>
#include <vector>

#include "osgan/models/gan_config.h"

namespace osgan::one_shot {

struct Architecture {
  int image_size = 128;     // square training resolution
  int image_channels = 1;   // osgan: single channel (the published code: 3)
  int noise_dim = 64;
  int noise_size = 4;       // spatial size of the first G feature map (noise_h = noise_w)
  int blocks_g = 6, blocks_d = 7, blocks_d_low = 3;
  std::vector<int> channels_g;  // blocks_g + 1 entries: first_linear output, then each G block's output
  std::vector<int> channels_d;  // blocks_d + 1 entries, indexed as in the published code
  int feature_prev_ratio = 8;   // from_rgb_i outputs channels_d[i] / 8 channels for i > 0
  bool minibatch_std = false;   // D's branches also read the batch's feature spread (GanConfig::minibatch_std)
  int modes = 0;                // D's content heads project onto an embedding of the mode (GanConfig::modes)
  bool reconstruction = false;  // D has a decoder from the D_low map back to the image (GanConfig::lambda_reconstruction)

  int content_blocks() const { return blocks_d - blocks_d_low; }
  int low_level_channels() const { return channels_d[static_cast<std::size_t>(blocks_d_low)]; }  // D_low output C
  int low_level_size() const { return image_size >> blocks_d_low; }                           // D_low output H
};

// The smallest G block count g in {5..9} with image_size / 2^(g-1) in [3, 7] (spec 1.2), and the D block counts of
// the recommended table: 9->(8,4) 8->(7,4) 7->(7,3) 6->(7,3) 5->(6,2). Non-zero config.blocks_* override the
// table (tiny test configs). Throws osgan::Error when the size cannot be represented exactly.
Architecture make_architecture(const GanConfig& config, int image_channels = 1);

}  // namespace osgan::one_shot
