// make_gan: the architecture name -> implementation.
#include "osgan/core/error.h"
#include "osgan/models/baselines/dcgan.h"
#include "osgan/models/baselines/vanilla_gan.h"
#include "osgan/models/one_shot_gan/one_shot_gan.h"
#include "osgan/train/gan.h"

namespace osgan {

std::unique_ptr<Gan> make_gan(const GanConfig& config, const torch::Device& device) {
  if (config.arch == "dcgan") return make_dcgan(config, device);
  if (config.arch == "vanilla") return make_vanilla_gan(config, device);
  if (config.arch == "one-shot") return make_one_shot_gan(config, device);
  fail(ErrorCode::invalid_argument, "--arch: expected one-shot, dcgan or vanilla, got \"" + config.arch + "\"");
}

}  // namespace osgan
