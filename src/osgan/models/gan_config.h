// The hyper-parameters of a GAN: architecture, sizes and the settings of its training algorithm, as one plain
// struct that the networks (models/) read their sizes from and the training steps (train/) the rest.
#pragma once
#include <string>
#include <vector>

namespace osgan {

// Hyper-parameters common to every architecture; each architecture reads the ones it uses.
struct GanConfig {
  std::string arch = "one-shot";  // "one-shot", "dcgan", "vanilla"
  int image_size = 128;           // square, single channel
  int noise_dim = 64;
  int channels_g = 32;            // channel base ("ch_G")
  int channels_d = 32;            // channel base ("ch_D")
  int blocks_g = 0, blocks_d = 0, blocks_d_low = 0;  // 0 = recommended for image_size (spec 1.2)
  std::string loss = "bce";       // "bce" or "hinge"
  std::string init = "as-run";    // One-Shot GAN conv weights: "as-run" (PyTorch's default, what the published models
                                  // trained from) or "normal-0.02" (weights_init as written); models/one_shot_gan/init.h
  double lambda_dr = 0.15;        // diversity regularisation weight (0 disables)
  double prob_augment = 0.3;      // differentiable augmentation probability (0 disables)
  double prob_fa_content = 0.4;   // feature augmentation of reals inside D
  double prob_fa_layout = 0.4;
  bool minibatch_std = false;     // osgan extension, not in the published model: D's content and layout branches get
                                  // one more input channel, the batch's feature spread (Karras et al. 2018), so a
                                  // generator that draws one image for every noise is visible to D
  // Coverage (osgan extension, not in the published model; losses/coverage.h): G's loss adds lambda_coverage times
  // the distance from each real image to the nearest of coverage_pool fakes drawn for it (IMLE). 0: off.
  double lambda_coverage = 0;
  int coverage_pool = 32;
  // Reconstruction (osgan extension, not in the published model; FastGAN, Liu et al., ICLR 2021): D gains a decoder
  // that redraws each real image of the D step from the map its content and layout branches read, and D's loss adds
  // lambda_reconstruction times the mean absolute pixel error, so D must keep what the image holds (its contrast
  // among it), not only what tells real from fake. 0: off (no decoder).
  double lambda_reconstruction = 0;
  double lr_g = 2e-4, lr_d = 2e-4, beta1 = 0.5, beta2 = 0.999;
  bool use_ema = true;
  double ema_decay = 0.9999;
  bool ema_warmup = true;         // decay min(ema_decay, (1+t)/(10+t)) at update t, so short runs are not dominated
                                  // by the initial weights (off: the published code's constant decay)
  // Self-conditioning on the modes (contrast x plane) of the training side (osgan extension, One-Shot GAN only;
  // Liu et al., CVPR 2020, condition a GAN on clusters of its own data). modes = 0: off, the published model.
  // Otherwise G reads mode k as noise drawn around a fixed mean of norm mode_noise_radius (mode_condition.h), D's
  // content heads add a projection onto a learned embedding of k (Miyato & Koyama 2018), and generation draws the
  // modes in mode_shares, the training side's share of each. Derived from GanTrainOptions::sample_modes.
  int modes = 0;
  std::vector<double> mode_shares;
  double mode_noise_radius = 4.0;
};

}  // namespace osgan
