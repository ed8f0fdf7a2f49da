// The cascade's upsampler (models/cascade/upsampler.h) and its trainer (train/upsampler_trainer.h): shapes, what an
// untrained one computes, that training beats bilinear enlargement on images it never saw, exact resumes, refusals,
// and generation through it. The forward, loss, gradients and Adam steps against PyTorch: tests/reference.
#include <cmath>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/hash.h"
#include "osgan/io/image.h"
#include "osgan/io/png_writer.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/gan.h"
#include "osgan/train/gan_trainer.h"
#include "osgan/train/generate.h"
#include "osgan/train/upsampler_trainer.h"
#include "support/test_support.h"
#include "train_test_util.h"

namespace fs = std::filesystem;
using osgan::test::ScratchDir;

namespace {

// Bright discs with hard edges on black, 64x64, two classes of 12 images: edges are what bilinear enlargement blurs.
fs::path write_disc_dataset(const fs::path& root) {
  for (const char* cls : {"a", "b"})
    for (int i = 0; i < 12; ++i) {
      osgan::io::Image image(64, 64, 0.f);
      const double cy = 20 + 2 * i, cx = 44 - 2 * i, r = 8 + i;
      for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x)
          if ((y - cy) * (y - cy) + (x - cx) * (x - cx) < r * r) image.at(y, x) = (x / 8 + y / 8) % 2 ? 250.f : 150.f;
      fs::create_directories(root / cls);
      osgan::io::write_png_grey8(root / cls / ("disc_" + std::to_string(i) + ".png"), image);
    }
  return root;
}

// A train-gan run folder (config.yaml and a checkpoint of a tiny DCGAN of `size` px) on class "a" of the discs.
fs::path write_gan_run(const ScratchDir& dir, const std::string& name, int size) {
  const auto run = dir / name;
  auto options = osgan::test::tiny_options(run);
  options.image_file.clear();
  options.data_dir = write_disc_dataset(dir / "discs").string();
  options.class_name = "a";
  options.gan.image_size = options.preprocess.size = size;
  fs::create_directories(run / "checkpoints");
  osgan::write_text_atomically(run / "config.yaml", osgan::to_yaml(options));
  torch::manual_seed(21);
  auto gan = osgan::make_gan(options.gan, torch::kCPU);
  osgan::save_checkpoint(run / "checkpoints" / "latest.pt", *gan, 0, options, torch::kCPU);
  return run;
}

osgan::UpsamplerTrainOptions tiny_upsampler(const fs::path& gan_run, const fs::path& out, int steps) {
  osgan::UpsamplerTrainOptions o;
  o.gan_run = gan_run;
  o.out_dir = out;
  o.size = 32;  // from 16 px: one x2 stage
  o.crop = 16;
  o.base_channels = 16;
  o.residual_blocks = 1;
  o.batch_size = 8;
  o.lr = 2e-3;
  o.steps = steps;
  o.checkpoint_every = 3;
  o.device = "cpu";
  o.seed = 5;
  o.quiet = true;
  return o;
}

std::string error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const osgan::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Upsampler, ShapesFollowTheStagesAndAZeroDetailIsBilinearEnlargement) {
  osgan::cascade::UpsamplerConfig config;
  config.stages = 2;
  config.channels = {8, 4, 2};
  config.residual_blocks = 1;
  osgan::cascade::Upsampler model(config);
  const auto x = torch::rand({2, 1, 8, 8}) * 2 - 1;
  EXPECT_EQ(model->forward(x).sizes(), (std::vector<int64_t>{2, 1, 32, 32}));
  EXPECT_EQ(model->factor(), 4);
  torch::NoGradGuard no_grad;
  for (auto& p : model->named_parameters())
    if (p.key().rfind("tail.", 0) == 0) p.value().zero_();
  EXPECT_TRUE(torch::allclose(model->forward(x), osgan::cascade::enlarge_bilinear(x, 4)));
  // Half-pixel centres: a constant stays constant, and each output pixel lies between its input neighbours.
  EXPECT_TRUE(torch::allclose(osgan::cascade::enlarge_bilinear(torch::full({1, 1, 4, 4}, 0.3), 4),
                              torch::full({1, 1, 16, 16}, 0.3)));

  config.channels = {8, 4};
  EXPECT_NE(error_of([&] { osgan::cascade::validate(config); }).find("expected 3 entries"), std::string::npos);
}

TEST(UpsamplerTrainer, BeatsBilinearEnlargementOnHeldBackImagesAndWritesItsRun) {
  ScratchDir dir("upsampler_learns");
  const auto gan = write_gan_run(dir, "gan", 16);
  auto options = tiny_upsampler(gan, dir / "up", 300);
  options.checkpoint_every = 100;
  const auto summary = osgan::train_upsampler(options);
  EXPECT_EQ(summary.steps, 300);
  EXPECT_EQ(summary.training_images + summary.held_back_images, 12);
  EXPECT_EQ(summary.held_back_images, 1);  // every tenth: the 10th of 12
  // Hard edges at 32 px that the 16 px input only hints at: the trained network recovers part of them.
  EXPECT_LT(summary.held_back.l1_upsampler, 0.8 * summary.held_back.l1_bilinear)
      << "upsampler " << summary.held_back.l1_upsampler << ", bilinear " << summary.held_back.l1_bilinear;
  EXPECT_GT(summary.held_back.psnr_upsampler, summary.held_back.psnr_bilinear);
  for (const char* file : {"config.json", "losses.csv", "summary.json", "checkpoints/latest.pt", "samples/step_000300.png"})
    EXPECT_TRUE(fs::is_regular_file(dir / "up" / file)) << file;
  const auto loaded = osgan::load_upsampler(dir / "up", torch::kCPU);
  EXPECT_EQ(loaded.from_size, 16);
  EXPECT_EQ(loaded.size, 32);
  EXPECT_EQ(loaded.step, 300);
  EXPECT_EQ(loaded.sha256, osgan::sha256_file_hex(dir / "up" / "checkpoints" / "latest.pt"));
}

TEST(UpsamplerTrainer, AResumedRunEqualsAnUninterruptedOneWithAndWithoutTheDiscriminator) {
  for (const double adversarial : {0.0, 0.1}) {
    ScratchDir dir("upsampler_resume");
    const auto gan = write_gan_run(dir, "gan", 16);
    auto straight = tiny_upsampler(gan, dir / "straight", 6);
    straight.adversarial_weight = adversarial;
    osgan::train_upsampler(straight);
    auto halves = straight;
    halves.out_dir = dir / "halves";
    halves.steps = 3;
    osgan::train_upsampler(halves);
    halves.steps = 6;
    halves.resume = true;
    EXPECT_EQ(osgan::train_upsampler(halves).start_step, 3);
    const auto a = osgan::load_upsampler(dir / "straight", torch::kCPU);
    const auto b = osgan::load_upsampler(dir / "halves", torch::kCPU);
    osgan::test::expect_modules_equal(*a.model, *b.model, "adversarial " + std::to_string(adversarial));
    EXPECT_EQ(osgan::read_text_file(dir / "straight" / "losses.csv"), osgan::read_text_file(dir / "halves" / "losses.csv"));
  }
}

TEST(UpsamplerTrainer, RefusesAnotherRunsFolderOtherOptionsOnResumeAndBadSizes) {
  ScratchDir dir("upsampler_refusals");
  const auto gan = write_gan_run(dir, "gan", 16);
  auto options = tiny_upsampler(gan, dir / "up", 3);
  osgan::train_upsampler(options);
  EXPECT_NE(error_of([&] { osgan::train_upsampler(options); }).find("holds an upsampler run already"), std::string::npos);
  options.resume = true;
  options.lr = 1e-3;
  const auto other = error_of([&] { osgan::train_upsampler(options); });
  EXPECT_NE(other.find("written with other options"), std::string::npos) << other;
  EXPECT_NE(other.find((dir / "up" / "checkpoints" / "latest.pt").string()), std::string::npos) << other;

  auto sized = tiny_upsampler(gan, dir / "sized", 3);
  sized.size = 48;
  EXPECT_NE(error_of([&] { osgan::train_upsampler(sized); }).find("not the GAN's 16 px times"), std::string::npos);
  sized.size = 64;
  sized.crop = 30;
  EXPECT_NE(error_of([&] { osgan::train_upsampler(sized); }).find("not a multiple of the factor 4"), std::string::npos);
  auto no_run = tiny_upsampler(dir / "discs", dir / "none", 3);
  const auto no_config = error_of([&] { osgan::train_upsampler(no_run); });
  EXPECT_NE(no_config.find((dir / "discs").string() + ": no config.yaml"), std::string::npos) << no_config;
  auto zero = tiny_upsampler(gan, dir / "zero", 0);
  EXPECT_NE(error_of([&] { osgan::train_upsampler(zero); }).find("--steps"), std::string::npos);
}

TEST(LoadUpsampler, AGanCheckpointOrAnythingElseIsRefusedNamingTheFile) {
  ScratchDir dir("upsampler_load");
  const auto gan = write_gan_run(dir, "gan", 16);
  const auto gan_checkpoint = gan / "checkpoints" / "latest.pt";
  const auto refused = error_of([&] { osgan::load_upsampler(gan_checkpoint, torch::kCPU); });
  EXPECT_NE(refused.find(gan_checkpoint.string() + ": not an osgan upsampler checkpoint"), std::string::npos) << refused;
  osgan::write_text_atomically(dir / "junk.pt", "not a zip");
  const auto junk = error_of([&] { osgan::load_upsampler(dir / "junk.pt", torch::kCPU); });
  EXPECT_NE(junk.find((dir / "junk.pt").string()), std::string::npos) << junk;
  EXPECT_NE(error_of([&] { osgan::load_upsampler(dir / "missing", torch::kCPU); }).find("not found"), std::string::npos);
}

TEST(Generate, AnUpsamplerEnlargesEveryImageAndIsNamedInItsText) {
  ScratchDir dir("generate_upsampled");
  const auto gan = write_gan_run(dir, "gan", 16);
  osgan::train_upsampler(tiny_upsampler(gan, dir / "up", 3));
  osgan::GenerateOptions options;
  options.checkpoints = {gan / "checkpoints" / "latest.pt"};
  options.upsampler = dir / "up";
  options.device = "cpu";
  options.out_dir = dir / "out";
  options.count = 3;
  options.seed = 4;
  const auto summary = osgan::generate_images(options);
  ASSERT_EQ(summary.files.size(), 3u);

  auto upsampler = osgan::load_upsampler(dir / "up", torch::kCPU);
  auto g = osgan::load_gan_from_checkpoint(options.checkpoints[0], torch::kCPU);
  for (int i = 0; i < 3; ++i) {
    const auto image = osgan::io::read_image_file(summary.files[i]).slices.at(0).image;
    ASSERT_EQ(image.height, 32);
    ASSERT_EQ(image.width, 32);
    torch::NoGradGuard no_grad;
    const auto expected = upsampler.model->forward(g->generate(osgan::noise_for_index(4, i, 8), true)).clamp(-1, 1);
    const auto expected_grey = ((expected + 1) * 127.5).flatten();
    const auto got = torch::tensor(image.pixels);
    EXPECT_LE((got - expected_grey).abs().max().item<float>(), 1.0f) << "image " << i;
    const auto text = osgan::io::read_png_text(summary.files[i]);
    EXPECT_EQ(text.at("osgan:upsampler_sha256"), osgan::sha256_file_hex(dir / "up" / "checkpoints" / "latest.pt"));
    EXPECT_EQ(text.at("osgan:upsampler_step"), "3");
  }

  // An upsampler from another size than the GAN's is refused before anything is written.
  const auto other_gan = write_gan_run(dir, "gan32", 32);
  options.checkpoints = {other_gan / "checkpoints" / "latest.pt"};
  options.out_dir = dir / "out32";
  const auto refused = error_of([&] { osgan::generate_images(options); });
  EXPECT_NE(refused.find("an upsampler from 16 px"), std::string::npos) << refused;
  EXPECT_FALSE(fs::exists(dir / "out32" / "synthetic_00001.png"));
}
