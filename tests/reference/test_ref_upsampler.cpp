// Checks the cascade's upsampler and patch discriminator against the PyTorch mirror (reference/osgan_ref/upsampler.py):
// the first step's output and losses, every gradient of both networks after it, the losses of 3 steps and both
// networks' state after them (upsampler_step with Adam). The reference file comes from make_refs_upsampler.py.
#include <gtest/gtest.h>

#include <string>

#include "osgan/train/upsampler_trainer.h"
#include "ref_support.h"

namespace {
using namespace osgan;
using ref::check;
using ref::kForward;
using ref::kGrad;
using ref::kLoss;
using ref::Tolerance;

// Adam with lr 1e-3 moves an entry by about lr per step: 1e-5 is 100x below one step.
constexpr Tolerance kParams{1e-5, 1e-4};

const ref::Refs& refs() {
  static const ref::Refs r(OSGAN_UPSAMPLER_REF_FILE);
  return r;
}

int check_grads(torch::nn::Module& module, const std::string& prefix) {
  int failures = 0;
  for (const auto& item : module.named_parameters())
    failures += check(prefix + item.key(), item.value().grad(), refs().get(prefix + item.key()), kGrad) ? 0 : 1;
  return failures;
}

int check_state(torch::nn::Module& module, const std::string& prefix) {
  int failures = 0;
  for (auto& [name, t] : ref::state_of(module)) failures += check(prefix + name, t, refs().get(prefix + name), kParams) ? 0 : 1;
  return failures;
}

TEST(ReferenceUpsampler, ThreeStepsOutputsLossesGradientsAndState) {
  torch::set_num_threads(1);  // as make_refs_upsampler.py: one summation order
  const auto c = refs().get("config");
  cascade::UpsamplerConfig config;
  config.stages = static_cast<int>(c[0].item<int64_t>());
  config.channels = {static_cast<int>(c[1].item<int64_t>()), static_cast<int>(c[2].item<int64_t>()),
                     static_cast<int>(c[3].item<int64_t>())};
  config.residual_blocks = static_cast<int>(c[4].item<int64_t>());
  const auto steps = c[7].item<int64_t>();
  const double lr = refs().get("config_float")[0].item<double>();
  const double weight = refs().get("config_float")[1].item<double>();

  cascade::Upsampler model(config);
  cascade::PatchDiscriminator d(static_cast<int>(c[5].item<int64_t>()));
  ref::load_state(*model, refs(), "init_up.");
  ref::load_state(*d, refs(), "init_d.");
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(lr).betas({0.9, 0.999}));
  torch::optim::Adam d_optimizer(d->parameters(), torch::optim::AdamOptions(lr).betas({0.9, 0.999}));

  for (int64_t step = 0; step < steps; ++step) {
    const std::string s = "step" + std::to_string(step) + "_";
    const auto low = refs().get(s + "low"), high = refs().get(s + "high");
    if (step == 0) {
      torch::NoGradGuard no_grad;
      // The output the step's losses are taken on (eval and train mode are the same: no dropout, no batch norm).
      EXPECT_TRUE(check("step0_out", model->forward(low), refs().get("step0_out"), kForward));
    }
    const auto losses = upsampler_step(model, optimizer, low, high, &d, &d_optimizer, weight);
    for (const auto& [name, value] : losses)
      EXPECT_TRUE(check(s + name, torch::tensor(value), refs().get(s + name), kLoss));
    if (step == 0) {
      EXPECT_EQ(check_grads(*model, "step0_grad_up."), 0);
      EXPECT_EQ(check_grads(*d, "step0_grad_d."), 0);
    }
  }
  EXPECT_EQ(check_state(*model, "final_up."), 0);
  EXPECT_EQ(check_state(*d, "final_d."), 0);
}

}  // namespace
