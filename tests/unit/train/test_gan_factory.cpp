#include <gtest/gtest.h>

#include "osgan/core/error.h"
#include "osgan/train/gan.h"
#include "train_test_util.h"

namespace {

osgan::GanConfig tiny_config(const std::string& arch) { return osgan::test::tiny_options("unused", arch).gan; }

std::string error_of(const osgan::GanConfig& config) {
  try {
    osgan::make_gan(config, torch::kCPU);
  } catch (const osgan::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(GanFactory, UnknownArchitectureNamesTheChoices) {
  auto config = tiny_config("stylegan");
  const auto message = error_of(config);
  EXPECT_NE(message.find("stylegan"), std::string::npos) << message;
  EXPECT_NE(message.find("dcgan"), std::string::npos) << message;
}

TEST(GanFactory, BuildsTheOneShotGan) {
  auto config = tiny_config("one-shot");
  config.image_size = 64;
  config.channels_d = 8;  // the One-Shot D needs ch_D >= 8 (from_rgb layers get ch/8 channels)
  auto gan = osgan::make_gan(config, torch::kCPU);
  EXPECT_EQ(gan->config().arch, "one-shot");
  EXPECT_EQ(gan->generate(gan->sample_noise(2)).sizes(), (std::vector<int64_t>{2, 1, 64, 64}));
}

TEST(GanFactory, DcganRejectsSizesNotMultipleOfEight) {
  auto config = tiny_config("dcgan");
  config.image_size = 20;
  EXPECT_NE(error_of(config).find("multiple of 8"), std::string::npos);
}

class Baseline : public ::testing::TestWithParam<std::string> {};

TEST_P(Baseline, GeneratesImagesInRangeAndTrainsWithFiniteLosses) {
  torch::manual_seed(1);
  auto gan = osgan::make_gan(tiny_config(GetParam()), torch::kCPU);
  EXPECT_GT(gan->parameter_count(), 0);
  const auto z = gan->sample_noise(3);
  ASSERT_EQ(z.sizes(), (std::vector<int64_t>{3, 8, 1, 1}));
  const auto images = gan->generate(z);
  ASSERT_EQ(images.sizes(), (std::vector<int64_t>{3, 1, 16, 16}));
  EXPECT_LE(images.abs().max().item<float>(), 1.f);
  EXPECT_FALSE(images.requires_grad());

  const auto before = gan->generate(z, /*use_ema=*/false);
  const auto losses = gan->train_step(osgan::test::tiny_images(3));
  for (const auto* key : {"d_real", "d_fake", "d_total", "g_total"}) {
    ASSERT_TRUE(losses.count(key)) << key;
    EXPECT_TRUE(std::isfinite(losses.at(key))) << key;
  }
  EXPECT_NEAR(losses.at("d_total"), losses.at("d_real") + losses.at("d_fake"), 1e-5);
  EXPECT_FALSE(torch::equal(before, gan->generate(z, /*use_ema=*/false))) << "a step must change G";
}

TEST_P(Baseline, GenerateDoesNotDependOnTheRestOfTheBatch) {
  torch::manual_seed(2);
  auto gan = osgan::make_gan(tiny_config(GetParam()), torch::kCPU);
  for (int i = 0; i < 3; ++i) gan->train_step(osgan::test::tiny_images(3));  // BatchNorm statistics move
  const auto z = gan->sample_noise(4);
  const auto all = gan->generate(z);
  const auto one = gan->generate(z.slice(0, 1, 2));
  EXPECT_TRUE(torch::allclose(all.slice(0, 1, 2), one, /*rtol=*/1e-5, /*atol=*/1e-6));
}

INSTANTIATE_TEST_SUITE_P(Architectures, Baseline, ::testing::Values("dcgan", "vanilla"));

TEST(GanFactory, DcganLearnsAConstantImage) {
  // The whole GAN game must move G towards the data: after 150 steps on one flat grey image (0.5), generated
  // images have moved most of the way from the initial mean (about 0) to 0.5.
  torch::manual_seed(3);
  auto config = tiny_config("dcgan");
  config.use_ema = false;
  auto gan = osgan::make_gan(config, torch::kCPU);
  const auto real = torch::full({4, 1, 16, 16}, 0.5f);
  const auto z = gan->sample_noise(16);
  const float start = std::abs(gan->generate(z).mean().item<float>() - 0.5f);
  for (int i = 0; i < 150; ++i) gan->train_step(real);
  const float end = std::abs(gan->generate(z).mean().item<float>() - 0.5f);
  EXPECT_LT(end, 0.5f * start) << "start distance " << start << ", end distance " << end;
}
