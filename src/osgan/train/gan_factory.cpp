// make_gan: the architecture name -> its training algorithm over its networks.
#include "osgan/core/error.h"
#include "osgan/train/mode_condition.h"
#include "osgan/models/baselines/dcgan.h"
#include "osgan/models/baselines/vanilla_gan.h"
#include "osgan/train/bce_gan.h"
#include "osgan/train/gan.h"
#include "osgan/train/one_shot_gan.h"

namespace osgan {

StepLosses Gan::train_step_in_modes(const torch::Tensor&, const torch::Tensor&) {
  fail(ErrorCode::invalid_argument, "--arch " + config().arch + ": cannot be conditioned on modes. Hint: train it "
       "without sample_modes, or use --arch one-shot.");
}

std::unique_ptr<Gan> make_gan(const GanConfig& config, const torch::Device& device) {
  validate_mode_condition(config);
  // The BrainGAN baselines share one algorithm (bce_gan.h); their networks check the image size.
  if (config.arch == "dcgan") return std::make_unique<BceGan<DcganGenerator, DcganDiscriminator>>(config, device);
  if (config.arch == "vanilla") return std::make_unique<BceGan<VanillaGenerator, VanillaDiscriminator>>(config, device);
  if (config.arch == "one-shot") return make_one_shot_gan(config, device);
  fail(ErrorCode::invalid_argument, "--arch: expected one-shot, dcgan or vanilla, got \"" + config.arch + "\"");
}

}  // namespace osgan
