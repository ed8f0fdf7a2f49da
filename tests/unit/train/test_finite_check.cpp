#include <gtest/gtest.h>

#include <limits>

#include "osgan/core/error.h"
#include "osgan/train/finite_check.h"

namespace {

// A linear layer whose gradient is poisoned after a finite loss: only the gradient check can catch it.
std::string fault_of(float grad_value, float loss_value) {
  torch::nn::Linear layer(2, 1);
  const auto loss = layer(torch::ones({1, 2})).sum() * 0 + loss_value;
  loss.backward();
  layer->weight.mutable_grad().fill_(grad_value);
  try {
    osgan::check_finite_before_step("D", {{"d_real", loss}}, layer->parameters());
  } catch (const osgan::Error& e) {
    EXPECT_EQ(e.code(), osgan::ErrorCode::numerical);
    return e.what();
  }
  return "";
}

}  // namespace

TEST(FiniteCheck, FiniteStepPasses) { EXPECT_EQ(fault_of(0.5f, 1.f), ""); }

TEST(FiniteCheck, NonFiniteGradientIsCaughtEvenWithAFiniteLoss) {
  const auto message = fault_of(std::numeric_limits<float>::infinity(), 1.f);
  EXPECT_NE(message.find("D step"), std::string::npos) << message;
  EXPECT_NE(message.find("gradient norm = inf"), std::string::npos) << message;
  EXPECT_NE(fault_of(std::numeric_limits<float>::quiet_NaN(), 1.f).find("gradient norm = nan"), std::string::npos);
}

TEST(FiniteCheck, NonFiniteLossIsNamed) {
  const auto message = fault_of(0.5f, std::numeric_limits<float>::quiet_NaN());
  EXPECT_NE(message.find("d_real = nan"), std::string::npos) << message;
}

TEST(FiniteCheck, SetLearningRateChangesEveryGroup) {
  torch::nn::Linear layer(2, 1);
  torch::optim::Adam adam(layer->parameters(), torch::optim::AdamOptions(2e-4));
  osgan::set_learning_rate(adam, 1e-4);
  for (auto& group : adam.param_groups())
    EXPECT_DOUBLE_EQ(static_cast<torch::optim::AdamOptions&>(group.options()).lr(), 1e-4);
}
