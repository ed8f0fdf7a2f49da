// make_gan: the architecture name -> implementation. The One-Shot GAN is compiled in when its header exists
// (it lives in another part of the tree), so this file builds before and after it is added.
#include "osgan/core/error.h"
#include "osgan/models/baselines/dcgan.h"
#include "osgan/models/baselines/vanilla_gan.h"
#include "osgan/train/gan.h"

#if __has_include("osgan/models/one_shot_gan/one_shot_gan.h")
#include "osgan/models/one_shot_gan/one_shot_gan.h"
#define OSGAN_HAS_ONE_SHOT_GAN 1
#else
#define OSGAN_HAS_ONE_SHOT_GAN 0
#endif

namespace osgan {

std::unique_ptr<Gan> make_gan(const GanConfig& config, const torch::Device& device) {
  if (config.arch == "dcgan") return make_dcgan(config, device);
  if (config.arch == "vanilla") return make_vanilla_gan(config, device);
  if (config.arch == "one-shot") {
#if OSGAN_HAS_ONE_SHOT_GAN
    return make_one_shot_gan(config, device);
#else
    fail(ErrorCode::unsupported, "--arch one-shot: the One-Shot GAN is not built into this osgan. "
         "Hint: use --arch dcgan or --arch vanilla, or build from a tree with src/osgan/models/one_shot_gan/.");
#endif
  }
  fail(ErrorCode::invalid_argument, "--arch: expected one-shot, dcgan or vanilla, got \"" + config.arch + "\"");
}

}  // namespace osgan
