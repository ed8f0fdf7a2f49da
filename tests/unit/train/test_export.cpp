// osgan export: the TorchScript generator draws the same images as osgan's own generator, for every architecture,
// after a torch::jit::load round trip; it carries its metadata; bad checkpoints give a clear error.
#include <gtest/gtest.h>
#include <torch/script.h>

#include <nlohmann/json.hpp>

#include "osgan/core/error.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/export.h"
#include "osgan/train/mode_condition.h"
#include "support/test_support.h"
#include "train_test_util.h"

namespace fs = std::filesystem;
using osgan::test::ScratchDir;

namespace {

osgan::GanTrainOptions options_for(const fs::path& dir, const std::string& arch) {
  auto options = osgan::test::tiny_options(dir, arch);
  if (arch == "one-shot") {  // 16 px needs explicit block counts (the recommended table starts at 48 px)
    options.gan.blocks_g = 3;
    options.gan.blocks_d = 3;
    options.gan.blocks_d_low = 1;
    options.gan.channels_d = 8;
  }
  return options;
}

// A checkpoint after a few steps, so EMA, BatchNorm statistics and spectral-norm vectors are away from init.
fs::path trained_checkpoint(const ScratchDir& dir, const std::string& arch, std::unique_ptr<osgan::Gan>* out) {
  const auto options = options_for(dir.path(), arch);
  torch::manual_seed(3);
  auto gan = osgan::make_gan(options.gan, torch::kCPU);
  for (int i = 0; i < 4; ++i) gan->train_step(osgan::test::tiny_images(3));
  const auto path = dir / (arch + ".pt");
  osgan::save_checkpoint(path, *gan, 4, options, torch::kCPU);
  *out = std::move(gan);
  return path;
}

class ExportArch : public ::testing::TestWithParam<std::string> {};

TEST_P(ExportArch, LoadedModuleDrawsTheSameImagesAsOsgan) {
  ScratchDir dir("export");
  std::unique_ptr<osgan::Gan> gan;
  const auto checkpoint = trained_checkpoint(dir, GetParam(), &gan);
  for (const bool ema : {true, false}) {
    osgan::ExportOptions options;
    options.checkpoint = checkpoint;
    options.out = dir / (ema ? "g_ema.pt" : "g_raw.pt");
    options.use_ema = ema;
    const auto summary = osgan::export_generator(options);
    EXPECT_EQ(summary.arch, GetParam());
    EXPECT_EQ(summary.checkpoint_step, 4);
    EXPECT_LE(summary.max_abs_difference, 1e-5);

    auto module = torch::jit::load(options.out.string());
    torch::manual_seed(11);
    const auto z = torch::randn({5, 8, 1, 1});  // (5, Z, 1, 1), other noise than the export's own check
    torch::NoGradGuard no_grad;
    const auto got = module.forward({z}).toTensor();
    const auto expected = gan->generate(z, ema);
    ASSERT_EQ(got.sizes(), expected.sizes());
    EXPECT_LE((got - expected).abs().max().item<double>(), 1e-5) << GetParam() << (ema ? " EMA" : " raw");
    EXPECT_EQ(module.attr("noise_dim").toInt(), 8);
    EXPECT_EQ(module.attr("image_size").toInt(), 16);
    EXPECT_EQ(module.attr("arch").toStringRef(), GetParam());
  }
  // EMA and raw generators differ after training, so the flag is not a no-op.
  auto ema = torch::jit::load((dir / "g_ema.pt").string()), raw = torch::jit::load((dir / "g_raw.pt").string());
  const auto z = torch::randn({2, 8, 1, 1});
  EXPECT_FALSE(torch::allclose(ema.forward({z}).toTensor(), raw.forward({z}).toTensor()));
}

INSTANTIATE_TEST_SUITE_P(AllArchitectures, ExportArch, ::testing::Values("one-shot", "dcgan", "vanilla"));

TEST(Export, WritesMetadataNamingTheCheckpoint) {
  ScratchDir dir("export_meta");
  std::unique_ptr<osgan::Gan> gan;
  const auto checkpoint = trained_checkpoint(dir, "one-shot", &gan);
  osgan::ExportOptions options;
  options.checkpoint = checkpoint;
  options.out = dir / "sub" / "g.pt";
  const auto summary = osgan::export_generator(options);
  torch::jit::ExtraFilesMap extra{{"osgan.json", ""}};
  torch::jit::load(options.out.string(), c10::nullopt, extra);
  const auto meta = nlohmann::json::parse(extra.at("osgan.json"));
  EXPECT_EQ(meta.at("format"), "osgan-generator-torchscript");
  EXPECT_EQ(meta.at("checkpoint_sha256"), summary.checkpoint_sha256);
  EXPECT_EQ(meta.at("checkpoint_step"), 4);
  EXPECT_EQ(meta.at("noise_dim"), 8);
  EXPECT_EQ(summary.checkpoint_sha256.size(), 64u);
}

// A mode-conditioned GAN: the generator is unchanged (mode k is noise around a mean), and osgan.json carries the
// means and shares a user needs to draw each mode.
TEST(Export, AModeConditionedGeneratorCarriesItsModeMeansAndShares) {
  ScratchDir dir("export_modes");
  auto options = options_for(dir.path(), "one-shot");
  options.samples = {"a", "b", "c"};
  options.sample_modes = {0, 1, 1};
  osgan::derive_mode_condition(options);
  torch::manual_seed(3);
  auto gan = osgan::make_gan(options.gan, torch::kCPU);
  const auto modes = torch::tensor(std::vector<int64_t>{0, 1, 1});
  for (int i = 0; i < 3; ++i) gan->train_step_in_modes(osgan::test::tiny_images(3), modes);
  const auto checkpoint = dir / "conditioned.pt";
  osgan::save_checkpoint(checkpoint, *gan, 3, options, torch::kCPU);
  osgan::ExportOptions export_options;
  export_options.checkpoint = checkpoint;
  export_options.out = dir / "g.pt";
  EXPECT_LE(osgan::export_generator(export_options).max_abs_difference, 1e-5);
  torch::jit::ExtraFilesMap extra{{"osgan.json", ""}};
  auto module = torch::jit::load(export_options.out.string(), c10::nullopt, extra);
  const auto meta = nlohmann::json::parse(extra.at("osgan.json"));
  EXPECT_EQ(meta.at("mode_shares").get<std::vector<double>>(), (std::vector<double>{1.0 / 3, 2.0 / 3}));
  const auto means = osgan::mode_noise_means(2, 8, options.gan.mode_noise_radius);
  const auto written = meta.at("mode_noise_means").get<std::vector<std::vector<float>>>();
  ASSERT_EQ(written.size(), 2u);
  for (int k = 0; k < 2; ++k)
    EXPECT_TRUE(torch::allclose(torch::tensor(written[k]), means[k])) << "mode " << k;
  // Mode 1's noise through the exported module draws what osgan draws for mode 1.
  const auto z = osgan::with_mode(torch::randn({2, 8, 1, 1}), torch::tensor(std::vector<int64_t>{1, 1}), options.gan);
  torch::NoGradGuard no_grad;
  EXPECT_LE((module.forward({z}).toTensor() - gan->generate(z)).abs().max().item<double>(), 1e-5);
}

TEST(Export, NotACheckpointIsAClearErrorAndWritesNothing) {
  ScratchDir dir("export_bad");
  const auto bogus = dir / "bogus.pt";
  std::ofstream(bogus) << "not a checkpoint";
  osgan::ExportOptions options;
  options.checkpoint = bogus;
  options.out = dir / "g.pt";
  try {
    osgan::export_generator(options);
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("bogus.pt"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(options.out));
}

}  // namespace
