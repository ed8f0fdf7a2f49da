#include <gtest/gtest.h>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/train/checkpoint.h"
#include "support/test_support.h"
#include "train_test_util.h"

using osgan::test::ScratchDir;

TEST(Checkpoint, RoundTripRestoresEveryStateIncludingOptimizersAndRng) {
  ScratchDir dir("ckpt");
  const auto options = osgan::test::tiny_options(dir.path());
  const auto real = osgan::test::tiny_images(3);
  torch::manual_seed(11);
  auto a = osgan::make_gan(options.gan, torch::kCPU);
  for (int i = 0; i < 3; ++i) a->train_step(real);
  osgan::save_checkpoint(dir / "c.pt", *a, 3, options, torch::kCPU);
  // Continue the original for two steps.
  const auto a_losses_1 = a->train_step(real);
  const auto a_losses_2 = a->train_step(real);
  const auto z = torch::randn({2, 8, 1, 1});

  // A fresh model with other weights and another RNG state, then loaded: must continue identically, which needs
  // G, D, both Adam states (moments and step counts), the EMA copy and the CPU generator state.
  torch::manual_seed(999);
  auto b = osgan::make_gan(options.gan, torch::kCPU);
  b->train_step(real);
  const auto info = osgan::load_checkpoint(dir / "c.pt", *b, torch::kCPU, /*restore_rng=*/true);
  EXPECT_EQ(info.step, 3);
  EXPECT_EQ(osgan::options_from_yaml_text(info.config_yaml, "c.pt").gan.arch, "dcgan");
  EXPECT_EQ(b->train_step(real), a_losses_1);
  EXPECT_EQ(b->train_step(real), a_losses_2);
  EXPECT_TRUE(torch::equal(a->generate(z, true), b->generate(z, true)));
  EXPECT_TRUE(torch::equal(a->generate(z, false), b->generate(z, false)));
}

TEST(Checkpoint, LoadGanFromCheckpointRebuildsTheArchitecture) {
  ScratchDir dir("ckpt");
  auto options = osgan::test::tiny_options(dir.path(), "vanilla");
  torch::manual_seed(5);
  auto a = osgan::make_gan(options.gan, torch::kCPU);
  a->train_step(osgan::test::tiny_images(2));
  osgan::save_checkpoint(dir / "v.pt", *a, 1, options, torch::kCPU);
  auto b = osgan::load_gan_from_checkpoint(dir / "v.pt", torch::kCPU);
  EXPECT_EQ(b->config().arch, "vanilla");
  const auto z = torch::randn({2, 8, 1, 1});
  EXPECT_TRUE(torch::equal(a->generate(z), b->generate(z)));
}

TEST(Checkpoint, BadFilesGiveOneLineErrorsNamingTheFile) {
  ScratchDir dir("ckpt");
  const auto expect_error = [](const std::filesystem::path& path, osgan::ErrorCode code) {
    try {
      osgan::read_checkpoint_info(path);
      ADD_FAILURE() << "expected an error for " << path;
    } catch (const osgan::Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(std::string(e.what()).find(path.filename().string()), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  };
  expect_error(dir / "missing.pt", osgan::ErrorCode::io);
  osgan::write_text_atomically(dir / "text.pt", "hello");
  expect_error(dir / "text.pt", osgan::ErrorCode::bad_format);
  // A LibTorch archive that is not an osgan checkpoint.
  torch::serialize::OutputArchive other;
  other.write("weights", torch::ones({2}));
  other.save_to((dir / "other.pt").string());
  expect_error(dir / "other.pt", osgan::ErrorCode::bad_format);
  // Another version.
  torch::serialize::OutputArchive future;
  future.write("format", c10::IValue(std::string(osgan::kCheckpointFormat)));
  future.write("version", c10::IValue(std::int64_t{99}));
  future.save_to((dir / "future.pt").string());
  expect_error(dir / "future.pt", osgan::ErrorCode::bad_format);
}

TEST(Checkpoint, ArchitectureMismatchIsAnError) {
  ScratchDir dir("ckpt");
  auto options = osgan::test::tiny_options(dir.path(), "vanilla");
  auto vanilla = osgan::make_gan(options.gan, torch::kCPU);
  osgan::save_checkpoint(dir / "v.pt", *vanilla, 0, options, torch::kCPU);
  auto dcgan = osgan::make_gan(osgan::test::tiny_options(dir.path(), "dcgan").gan, torch::kCPU);
  EXPECT_THROW(osgan::load_checkpoint(dir / "v.pt", *dcgan, torch::kCPU, false), osgan::Error);
}
