// FastGAN's reconstruction in the One-Shot GAN's D (GanConfig::lambda_reconstruction): the decoder exists only when
// asked and leaves every other weight as drawn without it, its term joins D's loss and teaches the decoder to redraw
// the real images, checkpoints with and without a decoder start each other, and the option's YAML and refusals.
// (Its numbers against the PyTorch mirror: tests/reference, ReconstructionTwoStepsLossesGradientsAndState.)
#include <gtest/gtest.h>

#include <cmath>

#include "osgan/core/error.h"
#include "osgan/train/gan_train_options.h"
#include "osgan/train/one_shot_gan.h"
#include "train_test_util.h"

namespace {
using namespace osgan;

GanConfig tiny_config(double lambda_reconstruction = 0) {
  GanConfig c = test::tiny_one_shot_config();
  c.prob_augment = 0;
  c.lambda_reconstruction = lambda_reconstruction;
  return c;
}

torch::Tensor real_batch(int n = 3) {
  torch::manual_seed(99);
  return torch::rand({n, 1, 32, 32}) * 2 - 1;
}

TEST(Reconstruction, TheDecoderRedrawsTheImageAtItsSizeAndLeavesTheOtherWeightsAsDrawn) {
  torch::manual_seed(5);
  one_shot::Discriminator plain(one_shot::make_architecture(tiny_config()));
  torch::manual_seed(5);
  one_shot::Discriminator with_decoder(one_shot::make_architecture(tiny_config(1.0)));
  EXPECT_FALSE(plain->decoder);
  ASSERT_TRUE(with_decoder->decoder);
  EXPECT_EQ(with_decoder->decoder->size(), 3u);  // blocks_d_low upsampling convs, then the image conv
  auto theirs = with_decoder->named_parameters();
  for (const auto& p : plain->named_parameters()) EXPECT_TRUE(torch::equal(p.value(), theirs[p.key()])) << p.key();
  EXPECT_EQ(theirs.size(), plain->named_parameters().size() + 6);  // weight_orig and bias of each decoder conv

  const auto real = real_batch();
  const auto out = with_decoder->forward(one_shot::image_pyramid(real, 2));
  EXPECT_EQ(out.low_level_features.sizes(), (std::vector<int64_t>{3, 32, 8, 8}));  // channels_d 8 x 4, 32 px / 4
  const auto image = with_decoder->reconstruct(out.low_level_features);
  EXPECT_EQ(image.sizes(), real.sizes());
  EXPECT_LE(image.abs().max().item<double>(), 1.0);
  EXPECT_THROW(plain->reconstruct(out.low_level_features), c10::Error);
  EXPECT_THROW(with_decoder->reconstruct(real), c10::Error);  // not the D_low map
}

// The term is D's only: it joins d_total, leaves G's loss alone, and over steps the decoder redraws the real images
// (smooth ones, which a decoder can learn; uniform noise it cannot) better than at the first step.
TEST(Reconstruction, TheTermJoinsDsLossAndTheDecoderLearnsToRedrawTheRealImages) {
  auto config = tiny_config(1.0);
  config.lr_d = 1e-3;
  torch::manual_seed(3);
  OneShotGan gan(config, torch::kCPU);
  const auto real = test::tiny_images(3, 32);
  std::vector<double> errors;
  for (int k = 0; k < 40; ++k) {
    const auto losses = gan.train_step(real);
    ASSERT_TRUE(losses.count("d_reconstruction"));
    EXPECT_NEAR(losses.at("d_total"), losses.at("d_real") + losses.at("d_fake") + losses.at("d_reconstruction"), 1e-5);
    EXPECT_NEAR(losses.at("g_total"), losses.at("g_content") + losses.at("g_layout") + losses.at("g_low_level") +
                                          losses.at("g_dr"), 1e-5);
    errors.push_back(losses.at("d_reconstruction"));
  }
  const double first = errors.front(), last_five = (errors[35] + errors[36] + errors[37] + errors[38] + errors[39]) / 5;
  EXPECT_LT(last_five, 0.5 * first) << "the decoder should learn to redraw the real batch: " << first << " -> " << last_five;

  // At weight 2 the term doubles, at 0 it is gone (the published step).
  auto twice = config;
  twice.lambda_reconstruction = 2.0;
  torch::manual_seed(3);
  OneShotGan gan_twice(twice, torch::kCPU);
  torch::manual_seed(3);
  OneShotGan gan_once(config, torch::kCPU);
  torch::manual_seed(40);
  const auto r = gan_once.sample_step_randomness(3);
  const auto z_g = gan_once.sample_noise(3), z_d = gan_once.sample_noise(3);
  EXPECT_NEAR(gan_twice.train_step_with(real, z_g, z_d, r).at("d_reconstruction"),
              2 * gan_once.train_step_with(real, z_g, z_d, r).at("d_reconstruction"), 1e-5);
  OneShotGan plain(tiny_config(), torch::kCPU);
  EXPECT_FALSE(plain.train_step(real).count("d_reconstruction"));
}

// An anatomy stage saved without a decoder starts a reconstructing fine-tune (the shared weights carried over, the
// decoder as drawn), and a reconstructing checkpoint starts a plain GAN (the decoder dropped); both then train.
TEST(Reconstruction, CheckpointsWithAndWithoutADecoderStartEachOther) {
  torch::manual_seed(14);
  OneShotGan plain(tiny_config(), torch::kCPU);
  plain.train_step(real_batch());
  torch::manual_seed(77);
  OneShotGan reconstructing(tiny_config(1.0), torch::kCPU);
  std::vector<torch::Tensor> decoder_as_drawn;
  for (const auto& p : reconstructing.discriminator()->decoder->parameters()) decoder_as_drawn.push_back(p.clone());
  test::copy_through_archive(plain, reconstructing);
  const auto z = torch::randn({2, 8, 1, 1});
  EXPECT_TRUE(torch::equal(plain.generate(z), reconstructing.generate(z)));  // G and EMA-G carried over
  auto theirs = plain.discriminator()->named_parameters();
  for (const auto& p : reconstructing.discriminator()->named_parameters())
    if (p.key().rfind("decoder.", 0) != 0) EXPECT_TRUE(torch::equal(p.value(), theirs[p.key()])) << p.key();
  const auto decoder_now = reconstructing.discriminator()->decoder->parameters();
  for (std::size_t i = 0; i < decoder_now.size(); ++i) EXPECT_TRUE(torch::equal(decoder_now[i], decoder_as_drawn[i]));
  EXPECT_TRUE(std::isfinite(reconstructing.train_step(real_batch()).at("d_reconstruction")));

  torch::manual_seed(78);
  OneShotGan back(tiny_config(), torch::kCPU);
  test::copy_through_archive(reconstructing, back);
  auto trained = reconstructing.discriminator()->named_parameters();
  for (const auto& p : back.discriminator()->named_parameters())
    EXPECT_TRUE(torch::equal(p.value(), trained[p.key()])) << p.key();
  EXPECT_TRUE(std::isfinite(back.train_step(real_batch()).at("d_total")));

  // A reconstructing checkpoint round-trips its decoder.
  torch::manual_seed(79);
  OneShotGan restored(tiny_config(1.0), torch::kCPU);
  test::copy_through_archive(reconstructing, restored);
  auto restored_decoder = restored.discriminator()->decoder->parameters();
  auto saved_decoder = reconstructing.discriminator()->decoder->parameters();
  for (std::size_t i = 0; i < saved_decoder.size(); ++i) EXPECT_TRUE(torch::equal(restored_decoder[i], saved_decoder[i]));
}

TEST(Reconstruction, TheOptionIsWrittenOnlyWhenOnAndRefusedWhereItCannotApply) {
  GanTrainOptions o = test::tiny_options("unused_run", "one-shot");
  EXPECT_EQ(o.gan.lambda_reconstruction, 0.0);  // off in every preset: the published model
  EXPECT_EQ(to_yaml(o).find("lambda_reconstruction"), std::string::npos);
  o.gan.lambda_reconstruction = 0.5;
  EXPECT_NO_THROW(validate(o));
  const auto text = to_yaml(o);
  EXPECT_NE(text.find("lambda_reconstruction: 0.5"), std::string::npos) << text;
  EXPECT_EQ(options_from_yaml_text(text, "config.yaml").gan.lambda_reconstruction, 0.5);
  o.gan.arch = "dcgan";
  test::expect_options_refused(o, "lambda_reconstruction: only --arch one-shot");
  auto config = tiny_config(-1.0);
  EXPECT_THROW(OneShotGan(config, torch::kCPU), Error);
}

}  // namespace
