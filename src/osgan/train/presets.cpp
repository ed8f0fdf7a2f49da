// The presets, as one table.
//   paper: the seed project's schedule (seed.md: 128x128x1, batch 4, 10 epochs x 3750 steps, lambda_DR 0.15) with the
//          One-Shot GAN defaults (spec 1.8, 1.10); meant for a GPU.
//   cpu:   the budget of a 2-core CPU, set from measured learning curves (docs/one-shot-gan.md): the published design
//          one block shorter on each side at 32 px (4 G blocks from 4x4 noise, 5 D blocks, 2 low-level; a step costs
//          about a third of the 64 px one), channel base 32, the published batch 5 (the diversity term sums the
//          published 10 pairs; its normaliser counts levels, so at 4 levels it pulls 1.7x as hard as the published
//          6-level model) and EMA decay 0.9999 (a ceiling: the warm-up keeps the decay at or below 0.99944 over
//          16,000 steps), differentiable augmentation off (with it on, the 64 px ch-32 curve still drew stripe
//          textures at 4,500 steps), 16,000 steps. At 32 px the tumour class drew head outlines with a
//          skull ring and tumours in different places by 12,000-20,000 steps (structure precision 0.7-0.9), where
//          the 64 px model was still drawing streaked heads at 5,000 (0.5) and needs about 3x the time per step.
//          Scored every 500 steps (quality.csv).
//   smoke: a few hundred steps of a narrow model, to check that everything runs (tests, CI); its GANs draw
//          textures, not brain slices, so its study numbers say nothing about augmentation.
#include "osgan/train/presets.h"

#include "osgan/core/error.h"

namespace osgan {
namespace {

struct Preset {
  const char* name;
  int image_size, blocks_g, blocks_d, blocks_d_low;  // blocks 0: the published recommendation for the size
  int channels_g, channels_d, batch_size, steps, checkpoint_every, sample_every, quality_every;
  double ema_decay, prob_augment;
  const char* init;
};

// clang-format off
constexpr Preset kPresets[] = {
  //  name     size  blocks G/D/low  ch_G ch_D batch  steps  ckpt_every sample_every quality_every ema_decay prob_augment init
  {"paper",    128,  0, 0, 0,        32,  32,   4,    37500, 2500,      1250,        1250,         0.9999,   0.3,         "as-run"},
  {"cpu",       32,  4, 5, 2,        32,  32,   5,    16000,  500,      1000,         500,         0.9999,   0.0,         "as-run"},
  // smoke: EMA 0.99 (with the warm-up) so the averaged generator follows a run this short.
  {"smoke",     64,  0, 0, 0,         8,   8,   8,      600,  100,       100,           0,         0.99,     0.3,         "as-run"},
};
// clang-format on

}  // namespace

GanTrainOptions preset_options(const std::string& name) {
  for (const auto& p : kPresets) {
    if (name != p.name) continue;
    GanTrainOptions o;
    o.preset = p.name;
    o.gan.image_size = p.image_size;
    o.gan.blocks_g = p.blocks_g;
    o.gan.blocks_d = p.blocks_d;
    o.gan.blocks_d_low = p.blocks_d_low;
    o.preprocess.size = p.image_size;
    o.gan.channels_g = p.channels_g;
    o.gan.channels_d = p.channels_d;
    o.batch_size = p.batch_size;
    o.steps = p.steps;
    o.checkpoint_every = p.checkpoint_every;
    o.sample_every = p.sample_every;
    o.quality_every = p.quality_every;
    o.gan.ema_decay = p.ema_decay;
    o.gan.prob_augment = p.prob_augment;
    o.gan.init = p.init;
    return o;
  }
  std::string known;
  for (const auto& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
  if (name == "quick")
    fail(ErrorCode::invalid_argument, "--preset quick was renamed smoke: it checks that everything runs, and its GANs "
         "draw textures, not brain slices. Use --preset cpu for results on a CPU (" + known + ")");
  fail(ErrorCode::invalid_argument, "--preset: expected one of " + known + ", got \"" + name + "\"");
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const auto& p : kPresets) names.emplace_back(p.name);
  return names;
}

}  // namespace osgan
