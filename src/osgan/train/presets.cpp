// The presets, as one table. "paper" is the seed project's schedule (seed.md: 128x128x1, batch 4, 10 epochs x
// 3750 steps, lambda_DR 0.15) with the One-Shot GAN defaults (spec 1.8, 1.10). "quick" is a CPU budget: both
// classes trained within about 8 minutes on a 2-core machine (4 minutes each), to be tuned on a quiet machine.
#include "osgan/train/presets.h"

#include "osgan/core/error.h"

namespace osgan {
namespace {

struct Preset {
  const char* name;
  int image_size, channels_g, channels_d, batch_size, steps, checkpoint_every, sample_every;
  double ema_decay;
};

// clang-format off
constexpr Preset kPresets[] = {
  //  name     size  ch_G ch_D batch  steps  ckpt_every sample_every  ema_decay
  {"paper",    128,  32,  32,   4,    37500, 2500,      1250,         0.9999},
  // quick: 64 px, narrow channels and 600 steps per class fit about 4 minutes on 2 cores; EMA 0.99 (with the
  // warm-up) so the averaged generator follows a run this short.
  {"quick",     64,   8,   8,   8,      600,  100,       100,         0.99},
};
// clang-format on

}  // namespace

GanTrainOptions preset_options(const std::string& name) {
  for (const auto& p : kPresets) {
    if (name != p.name) continue;
    GanTrainOptions o;
    o.preset = p.name;
    o.gan.image_size = p.image_size;
    o.preprocess.size = p.image_size;
    o.gan.channels_g = p.channels_g;
    o.gan.channels_d = p.channels_d;
    o.batch_size = p.batch_size;
    o.steps = p.steps;
    o.checkpoint_every = p.checkpoint_every;
    o.sample_every = p.sample_every;
    o.gan.ema_decay = p.ema_decay;
    return o;
  }
  std::string known;
  for (const auto& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
  fail(ErrorCode::invalid_argument, "--preset: expected one of " + known + ", got \"" + name + "\"");
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const auto& p : kPresets) names.emplace_back(p.name);
  return names;
}

}  // namespace osgan
