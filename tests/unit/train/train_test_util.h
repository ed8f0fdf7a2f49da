// Tiny configurations and helpers shared by the training tests (16x16 DCGAN with 4 channels: milliseconds a step).
#pragma once
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "osgan/core/error.h"
#include "osgan/models/baselines/dcgan.h"
#include "osgan/train/gan_train_options.h"

namespace osgan::test {

inline GanTrainOptions tiny_options(const std::filesystem::path& run, const std::string& arch = "dcgan") {
  GanTrainOptions o;
  o.image_file = "unused";  // the tests hand images to GanTrainer directly
  o.out_dir = run.string();
  o.gan.arch = arch;
  o.gan.image_size = o.preprocess.size = 16;
  o.gan.noise_dim = 8;
  o.gan.channels_g = o.gan.channels_d = 4;
  o.gan.ema_decay = 0.9;
  o.steps = 8;
  o.batch_size = 3;
  o.checkpoint_every = 3;
  o.sample_every = 4;
  o.grid_count = 4;
  o.device = "cpu";
  o.seed = 7;
  o.quiet = true;
  return o;
}

// A 32 px One-Shot GAN with 4 / 8 channel bases and 4 G and D blocks (2 low-level): about a millisecond a step.
inline GanConfig tiny_one_shot_config() {
  GanConfig c;
  c.image_size = 32;
  c.noise_dim = 8;
  c.channels_g = 4;
  c.channels_d = 8;
  c.blocks_g = 4;
  c.blocks_d = 4;
  c.blocks_d_low = 2;
  return c;
}

// Five smooth 16x16 "images" in [-1, 1].
inline torch::Tensor tiny_images(int n = 5, int size = 16) {
  auto y = torch::linspace(-1, 1, size).view({1, 1, size, 1});
  auto x = torch::linspace(-1, 1, size).view({1, 1, 1, size});
  auto k = torch::arange(1, n + 1, torch::kFloat32).view({n, 1, 1, 1});
  return torch::tanh(torch::sin(k * x * 2) + torch::cos(k * y));  // (n, 1, size, size)
}

// `from` saved to an archive in memory, then loaded into `into` (what a checkpoint round trip does to a GAN).
inline void copy_through_archive(const Gan& from, Gan& into) {
  std::stringstream stream;
  torch::serialize::OutputArchive out;
  from.save(out);
  out.save_to(stream);
  torch::serialize::InputArchive in;
  in.load_from(stream);
  into.load(in);
}

// Every parameter and buffer of a module, by name, from a checkpoint's gan/<key> archive.
inline void load_dcgan_part(const std::filesystem::path& checkpoint, const std::string& key, torch::nn::Module& module) {
  torch::serialize::InputArchive archive, gan, part;
  archive.load_from(checkpoint.string());
  archive.read("gan", gan);
  gan.read(key, part);
  module.load(part);
}

inline void expect_modules_equal(const torch::nn::Module& a, const torch::nn::Module& b, const std::string& what) {
  auto pa = a.named_parameters(), pb = b.named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& item : pa)
    EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << what << ": parameter " << item.key() << " differs";
  auto ba = a.named_buffers(), bb = b.named_buffers();
  for (const auto& item : ba)
    EXPECT_TRUE(torch::equal(item.value(), bb[item.key()])) << what << ": buffer " << item.key() << " differs";
}

// Options that list four training slices of "tumor" in data/ with their modes (1, 0, 1, 1): never trained, only
// validated and written.
inline GanTrainOptions four_slices_in_two_modes() {
  GanTrainOptions o;
  o.data_dir = "data";
  o.class_name = "tumor";
  o.out_dir = "run";
  o.samples = {"tumor/a.png", "tumor/b.png", "tumor/c.png", "tumor/d.png"};
  o.sample_modes = {1, 0, 1, 1};
  return o;
}

// validate(options) must refuse them with a message that contains `expected`.
inline void expect_options_refused(const GanTrainOptions& options, const std::string& expected) {
  try {
    validate(options);
    ADD_FAILURE() << "accepted; expected: " << expected;
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }
}

}  // namespace osgan::test
