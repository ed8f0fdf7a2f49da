#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/hash.h"
#include "osgan/io/png_writer.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/classifier_data.h"
#include "osgan/train/generate.h"
#include "support/test_support.h"
#include "train_test_util.h"

namespace fs = std::filesystem;
using osgan::test::ScratchDir;

namespace {

// A tiny DCGAN after 3 steps still draws nearly flat images (init N(0, 0.02)); the vanilla GAN's default init
// gives images that differ visibly with z, which the determinism test needs.
// `steps` training steps, saved as DIR/<file> (snapshots of one run: the same arch, other step counts).
fs::path make_checkpoint(const ScratchDir& dir, const std::string& arch = "dcgan", int steps = 3,
                         const std::string& file = "g.pt") {
  const auto options = osgan::test::tiny_options(dir.path(), arch);
  torch::manual_seed(21);
  auto gan = osgan::make_gan(options.gan, torch::kCPU);
  for (int i = 0; i < steps; ++i) gan->train_step(osgan::test::tiny_images(3));  // BatchNorm stats away from init
  const auto path = dir / file;
  osgan::save_checkpoint(path, *gan, steps, options, torch::kCPU);
  return path;
}

// Options for `count` images of `seed` from `checkpoints` into `out`, on the CPU.
osgan::GenerateOptions cpu_options(std::vector<fs::path> checkpoints, const fs::path& out, int count, std::uint64_t seed) {
  osgan::GenerateOptions options;
  options.checkpoints = std::move(checkpoints);
  options.device = "cpu";
  options.out_dir = out;
  options.count = count;
  options.seed = seed;
  return options;
}

// The noise generate_images draws for its first `count` images of `seed`: (count, Z, 1, 1).
torch::Tensor noise_of_first_images(std::uint64_t seed, int count, int noise_dim) {
  std::vector<torch::Tensor> noise;
  for (int i = 0; i < count; ++i) noise.push_back(osgan::noise_for_index(seed, i, noise_dim));
  return torch::cat(noise);
}

std::vector<float> pixels_of(const fs::path& png) { return osgan::io::read_image_file(png).slices.at(0).image.pixels; }

}  // namespace

TEST(Generate, DeterministicForASeedAndIndependentOfBatchAndCount) {
  ScratchDir dir("generate");
  const auto checkpoint = make_checkpoint(dir, "vanilla");
  auto options = cpu_options({checkpoint}, dir / "batch1", 5, 5);
  options.batch_size = 1;
  const auto one = osgan::generate_images(options);
  ASSERT_EQ(one.files.size(), 5u);
  EXPECT_EQ(one.files[0].filename(), "synthetic_00001.png");
  EXPECT_EQ(one.files[4].filename(), "synthetic_00005.png");
  EXPECT_TRUE(fs::exists(dir / "batch1" / "preview" / "grid.png"));
  // The grid is no sample: a folder reader sees exactly the generated images.
  osgan::data::PreprocessOptions preprocess;
  preprocess.size = 16;
  EXPECT_EQ(osgan::load_labelled_folder(dir / "batch1", 1, preprocess, "synthetic").images.size(0), 5);

  options.batch_size = 4;
  options.out_dir = dir / "batch4";
  osgan::generate_images(options);
  options.count = 2;  // a prefix of the same sequence
  options.batch_size = 2;
  options.out_dir = dir / "count2";
  osgan::generate_images(options);
  options.count = 5;
  options.seed = 6;
  options.out_dir = dir / "seed6";
  osgan::generate_images(options);

  for (int i = 1; i <= 5; ++i) {
    const auto name = "synthetic_0000" + std::to_string(i) + ".png";
    const auto reference = pixels_of(dir / "batch1" / name);
    EXPECT_EQ(reference, pixels_of(dir / "batch4" / name)) << name << ": depends on --batch";
    if (i <= 2) EXPECT_EQ(reference, pixels_of(dir / "count2" / name)) << name << ": depends on --count";
    EXPECT_NE(reference, pixels_of(dir / "seed6" / name)) << name << ": same image for another seed";
  }
  EXPECT_NE(pixels_of(dir / "batch1" / "synthetic_00001.png"), pixels_of(dir / "batch1" / "synthetic_00002.png"));
}

TEST(Generate, EveryImageIsMarkedSyntheticWithItsProvenance) {
  ScratchDir dir("generate");
  const auto checkpoint = make_checkpoint(dir);
  const auto options = cpu_options({checkpoint}, dir / "out", 2, 77);
  const auto summary = osgan::generate_images(options);
  for (const auto& file : summary.files) {
    const auto text = osgan::io::read_png_text(file);
    EXPECT_NE(text.at("Description").find("SYNTHETIC"), std::string::npos);
    EXPECT_EQ(text.at("osgan:synthetic"), "true");
    EXPECT_EQ(text.at("osgan:arch"), "dcgan");
    EXPECT_EQ(text.at("osgan:checkpoint_sha256"), osgan::sha256_file_hex(checkpoint));
    EXPECT_EQ(text.at("osgan:seed"), "77");
    EXPECT_EQ(std::stod(text.at("osgan:noise_scale")), 1.0);
    const auto info = osgan::io::read_image_file(file).info;
    EXPECT_EQ(info.bits_per_sample, 8);
    EXPECT_EQ(info.channels, 1);
  }
}

TEST(Generate, BadArgumentsAreErrors) {
  ScratchDir dir("generate");
  auto options = cpu_options({dir / "missing.pt"}, dir / "out", 100, 1);
  try {
    osgan::generate_images(options);
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.pt"), std::string::npos) << e.what();
  }
  options.checkpoints = {make_checkpoint(dir)};
  options.count = 0;
  EXPECT_THROW(osgan::generate_images(options), osgan::Error);
  options.count = 1;
  for (double scale : {0.0, -1.0, 11.0, std::nan("")}) {
    options.noise_scale = scale;
    EXPECT_THROW(osgan::generate_images(options), osgan::Error) << "noise scale " << scale;
  }
  EXPECT_FALSE(fs::exists(dir / "out" / "synthetic_00001.png")) << "a refused run wrote an image";
}

TEST(Generate, NoiseScaleMultipliesEachImagesNoise) {
  ScratchDir dir("generate");
  const auto checkpoint = make_checkpoint(dir, "vanilla");
  auto options = cpu_options({checkpoint}, dir / "out", 3, 4);
  options.noise_scale = 1.75;
  const auto summary = osgan::generate_images(options);
  EXPECT_EQ(std::stod(osgan::io::read_png_text(summary.files[0]).at("osgan:noise_scale")), 1.75);

  auto gan = osgan::load_gan_from_checkpoint(checkpoint, torch::kCPU);
  const auto z = noise_of_first_images(options.seed, options.count, gan->config().noise_dim);  // (3, Z, 1, 1)
  osgan::data::PreprocessOptions preprocess;
  preprocess.size = 16;
  const auto read = osgan::load_labelled_folder(options.out_dir, 1, preprocess, "synthetic").images;  // (3, 1, 16, 16)
  EXPECT_LE((read - gan->generate(z * 1.75, true)).abs().max().item<float>(), 0.5f / 127.5f + 1e-5f);
  EXPECT_GT((read - gan->generate(z, true)).abs().max().item<float>(), 0.05f) << "the scale did not reach the noise";
}

TEST(Generate, AFolderReaderGetsTheGeneratorOutputBackNotRescaled) {
  ScratchDir dir("generate");
  const auto checkpoint = make_checkpoint(dir, "vanilla");
  const auto options = cpu_options({checkpoint}, dir / "out", 4, 3);
  osgan::generate_images(options);

  auto gan = osgan::load_gan_from_checkpoint(checkpoint, torch::kCPU);
  const auto z = noise_of_first_images(options.seed, options.count, gan->config().noise_dim);  // (4, Z, 1, 1)
  const auto expected = gan->generate(z, true);  // (4, 1, 16, 16)
  osgan::data::PreprocessOptions preprocess;  // percentile scaling, as for the real images
  preprocess.size = 16;
  const auto read = osgan::load_labelled_folder(options.out_dir, 1, preprocess, "synthetic").images;
  ASSERT_EQ(read.sizes(), expected.sizes());
  // 8-bit rounding is the only difference: half a grey level is 0.5 / 127.5.
  EXPECT_LE((read - expected).abs().max().item<float>(), 0.5f / 127.5f + 1e-5f);

  // The same kind of image without the osgan:synthetic mark is a user's image: percentile scaling, like real ones.
  osgan::io::Image dim(16, 16);
  for (size_t i = 0; i < dim.pixels.size(); ++i) dim.pixels[i] = static_cast<float>(i % 100);  // 0..99 of 255
  fs::create_directories(dir / "marked");
  fs::create_directories(dir / "unmarked");
  osgan::io::write_png_grey8(dir / "marked" / "a.png", dim, {{"osgan:synthetic", "true"}});
  osgan::io::write_png_grey8(dir / "unmarked" / "a.png", dim);
  const auto marked = osgan::load_labelled_folder(dir / "marked", 1, preprocess, "synthetic").images;
  const auto unmarked = osgan::load_labelled_folder(dir / "unmarked", 1, preprocess, "synthetic").images;
  EXPECT_NEAR(marked.max().item<float>(), 99.f / 127.5f - 1.f, 1e-5f);
  EXPECT_NEAR(unmarked.max().item<float>(), 1.f, 1e-5f);
}

TEST(Generate, SnapshotsTakeTurnsImageByImage) {
  ScratchDir dir("generate");
  const std::vector<fs::path> snapshots = {make_checkpoint(dir, "vanilla", 2, "s2.pt"),
                                           make_checkpoint(dir, "vanilla", 40, "s40.pt")};
  auto options = cpu_options(snapshots, dir / "out", 5, 9);
  options.batch_size = 2;
  const auto summary = osgan::generate_images(options);
  ASSERT_EQ(summary.files.size(), 5u);
  EXPECT_EQ(summary.checkpoint_step, (std::vector<std::int64_t>{2, 40}));

  // Image i (0-based) is snapshot i mod 2's output at the noise of index i, and says so in its text chunk.
  std::vector<std::unique_ptr<osgan::Gan>> gans;
  for (const auto& s : snapshots) gans.push_back(osgan::load_gan_from_checkpoint(s, torch::kCPU));
  const auto z = noise_of_first_images(options.seed, options.count, gans[0]->config().noise_dim);  // (5, Z, 1, 1)
  osgan::data::PreprocessOptions preprocess;
  preprocess.size = 16;
  const auto read = osgan::load_labelled_folder(options.out_dir, 1, preprocess, "synthetic").images;  // (5, 1, 16, 16)
  for (int i = 0; i < options.count; ++i) {
    auto& own = *gans[i % 2];
    auto& other = *gans[1 - i % 2];
    const auto zi = z.slice(0, i, i + 1);
    EXPECT_LE((read[i] - own.generate(zi, true)[0]).abs().max().item<float>(), 0.5f / 127.5f + 1e-5f) << "image " << i;
    EXPECT_GT((read[i] - other.generate(zi, true)[0]).abs().max().item<float>(), 0.02f) << "image " << i;
    const auto text = osgan::io::read_png_text(summary.files[i]);
    EXPECT_EQ(text.at("osgan:checkpoint_sha256"), osgan::sha256_file_hex(snapshots[i % 2])) << i;
    EXPECT_EQ(text.at("osgan:checkpoint_step"), i % 2 == 0 ? "2" : "40") << i;
    EXPECT_EQ(text.at("osgan:index"), std::to_string(i + 1));
  }
}

TEST(Generate, SnapshotsOfDifferentModelsAreRefusedBeforeAnythingIsWritten) {
  ScratchDir dir("generate");
  auto options = cpu_options({make_checkpoint(dir, "vanilla", 3, "v.pt"), make_checkpoint(dir, "dcgan", 3, "d.pt")},
                             dir / "out", 2, 1);
  try {
    osgan::generate_images(options);
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("d.pt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("snapshots of one run"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "out")) << "a refused run wrote something";
  options.checkpoints.clear();
  EXPECT_THROW(osgan::generate_images(options), osgan::Error);
}

TEST(Generate, ACheckpointArgumentIsAFileOrARunFoldersSnapshots) {
  ScratchDir dir("generate");
  const auto file = make_checkpoint(dir);
  EXPECT_EQ(osgan::checkpoints_of(file), std::vector<fs::path>{file});

  const auto run = dir / "run";  // a run without snapshots: its latest.pt
  fs::create_directories(run / "checkpoints");
  fs::copy_file(file, run / "checkpoints" / "latest.pt");
  osgan::write_text_atomically(run / "summary.json", R"({"steps": 3, "snapshots": []})");
  EXPECT_EQ(osgan::checkpoints_of(run), std::vector<fs::path>{run / "checkpoints" / "latest.pt"});
  osgan::write_text_atomically(run / "summary.json",
                               R"({"snapshots": ["checkpoints/step_000002.pt", "checkpoints/step_000003.pt"]})");
  EXPECT_EQ(osgan::checkpoints_of(run), (std::vector<fs::path>{run / "checkpoints/step_000002.pt",
                                                              run / "checkpoints/step_000003.pt"}));

  fs::create_directories(dir / "empty");
  try {
    osgan::checkpoints_of(dir / "empty");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
  }
  osgan::write_text_atomically(run / "summary.json", "{not json");
  EXPECT_THROW(osgan::checkpoints_of(run), osgan::Error);
}

TEST(GenerateMixture, CountsFollowTheSharesByTheLargestRemainder) {
  // The normal class's four modes of 2026-12-06 (64, 26, 17, 12 of 119 training slices) at 700 images.
  EXPECT_EQ(osgan::mixture_counts({64, 26, 17, 12}, 700), (std::vector<int>{376, 153, 100, 71}));
  EXPECT_EQ(osgan::mixture_counts({1, 1, 1}, 10), (std::vector<int>{4, 3, 3}));  // tie: the earlier component
  EXPECT_EQ(osgan::mixture_counts({0.5, 0.5}, 1), (std::vector<int>{1, 0}));
  EXPECT_EQ(osgan::mixture_counts({3}, 7), (std::vector<int>{7}));
  EXPECT_EQ(osgan::mixture_counts({0, 2}, 5), (std::vector<int>{0, 5}));
  EXPECT_THROW(osgan::mixture_counts({}, 5), osgan::Error);
  EXPECT_THROW(osgan::mixture_counts({1, -1}, 5), osgan::Error);
  EXPECT_THROW(osgan::mixture_counts({0, 0}, 5), osgan::Error);
  EXPECT_THROW(osgan::mixture_counts({1, std::nan("")}, 5), osgan::Error);
}

TEST(GenerateMixture, TheOrderInterleavesSoThatAPrefixHoldsEachShare) {
  // Places (j + 0.5) / n: component 0 at 1/12, 3/12, ...; 1 at 1/6, 1/2, 5/6; 2 at 1/2 (after 1 on the tie).
  EXPECT_EQ(osgan::mixture_order({6, 3, 1}), (std::vector<int>{0, 1, 0, 0, 1, 2, 0, 0, 1, 0}));
  EXPECT_EQ(osgan::mixture_order({0, 2}), (std::vector<int>{1, 1}));
  // 700 images in the shares above: every prefix of 100 or more is within 2 images of each mode's share.
  const std::vector<int> counts = {376, 153, 100, 71};
  const auto order = osgan::mixture_order(counts);
  ASSERT_EQ(order.size(), 700u);
  std::vector<int> seen(4, 0);
  for (std::size_t n = 1; n <= order.size(); ++n) {
    ++seen[static_cast<std::size_t>(order[n - 1])];
    if (n < 100) continue;
    for (std::size_t c = 0; c < 4; ++c)
      EXPECT_NEAR(seen[c], counts[c] * static_cast<double>(n) / 700.0, 2.0) << "prefix " << n << ", component " << c;
  }
}

TEST(GenerateMixture, EachImageIsItsComponentsOutputAtItsOwnIndexAndSaysWhichComponent) {
  ScratchDir dir("generate");
  // Component 0: two snapshots of one run; component 1: one checkpoint of another.
  const std::vector<fs::path> first = {make_checkpoint(dir, "vanilla", 2, "a2.pt"), make_checkpoint(dir, "vanilla", 40, "a40.pt")};
  const fs::path second = make_checkpoint(dir, "vanilla", 12, "b12.pt");
  osgan::GenerateOptions options = cpu_options({}, dir / "mix", 9, 4);
  options.mixture = {{first, 2.0}, {{second}, 1.0}};  // 6 and 3 images
  options.batch_size = 2;
  const auto summary = osgan::generate_images(options);
  ASSERT_EQ(summary.files.size(), 9u);
  const auto order = osgan::mixture_order({6, 3});
  std::vector<std::unique_ptr<osgan::Gan>> gans;  // a2, a40, b12
  for (const auto& p : {first[0], first[1], second}) gans.push_back(osgan::load_gan_from_checkpoint(p, torch::kCPU));
  const auto z = noise_of_first_images(options.seed, options.count, gans[0]->config().noise_dim);
  osgan::data::PreprocessOptions preprocess;
  preprocess.size = 16;
  const auto read = osgan::load_labelled_folder(options.out_dir, 1, preprocess, "synthetic").images;
  int rank0 = 0;
  for (int i = 0; i < options.count; ++i) {
    // Within component 0 the snapshots take turns by the image's rank in the component.
    const int source = order[i] == 0 ? rank0++ % 2 : 2;
    const auto zi = z.slice(0, i, i + 1);
    EXPECT_LE((read[i] - gans[source]->generate(zi, true)[0]).abs().max().item<float>(), 0.5f / 127.5f + 1e-5f) << i;
    const auto text = osgan::io::read_png_text(summary.files[i]);
    EXPECT_EQ(text.at("osgan:mixture_component"), std::to_string(order[i])) << i;
    EXPECT_EQ(text.at("osgan:checkpoint_step"), source == 0 ? "2" : source == 1 ? "40" : "12") << i;
  }
  // Both a mixture and plain checkpoints, or an empty component: refused.
  options.checkpoints = {second};
  EXPECT_THROW(osgan::generate_images(options), osgan::Error);
  options.checkpoints.clear();
  options.mixture = {{first, 1.0}, {{}, 1.0}};
  EXPECT_THROW(osgan::generate_images(options), osgan::Error);
}
