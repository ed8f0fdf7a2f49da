#include <gtest/gtest.h>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/train/gan_train_options.h"
#include "osgan/train/presets.h"
#include "support/test_support.h"

using osgan::test::ScratchDir;

TEST(Presets, PaperIsTheSeedSchedule) {
  const auto paper = osgan::preset_options("paper");
  EXPECT_EQ(paper.gan.image_size, 128);
  EXPECT_EQ(paper.preprocess.size, 128);
  EXPECT_EQ(paper.batch_size, 4);
  EXPECT_EQ(paper.steps, 10 * 3750);
  EXPECT_EQ(paper.gan.channels_g, 32);
  EXPECT_DOUBLE_EQ(paper.gan.lambda_dr, 0.15);
  EXPECT_DOUBLE_EQ(paper.gan.lr_g, 2e-4);
  EXPECT_DOUBLE_EQ(paper.gan.beta1, 0.5);
  EXPECT_DOUBLE_EQ(paper.gan.ema_decay, 0.9999);
  EXPECT_DOUBLE_EQ(paper.gan.prob_augment, 0.3);
  // cpu: the published design one block shorter on each side at 32 px, channel base 32, the published batch 5,
  // differentiable augmentation off (learning curves, docs/one-shot-gan.md), scored while it trains.
  const auto cpu = osgan::preset_options("cpu");
  EXPECT_EQ(cpu.gan.image_size, 32);
  EXPECT_EQ(cpu.preprocess.size, 32);
  EXPECT_EQ(cpu.gan.blocks_g, 4);
  EXPECT_EQ(cpu.gan.blocks_d, 5);
  EXPECT_EQ(cpu.gan.blocks_d_low, 2);
  EXPECT_EQ(paper.gan.blocks_g, 0);  // 0: the published recommendation for 128 px
  EXPECT_EQ(cpu.gan.channels_g, 32);
  EXPECT_EQ(cpu.batch_size, 5);
  EXPECT_DOUBLE_EQ(cpu.gan.prob_augment, 0.0);
  EXPECT_EQ(cpu.gan.init, "as-run");
  EXPECT_GT(cpu.quality_every, 0);
  EXPECT_LT(cpu.steps * cpu.gan.image_size, paper.steps * paper.gan.image_size);
  const auto smoke = osgan::preset_options("smoke");
  EXPECT_LT(smoke.steps, cpu.steps);
  for (const char* name : {"fast", "quick"}) {
    try {
      osgan::preset_options(name);
      FAIL() << name;
    } catch (const osgan::Error& e) {
      EXPECT_NE(std::string(e.what()).find("smoke"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("cpu"), std::string::npos) << e.what();
    }
  }
}

TEST(GanTrainOptions, YamlRoundTripAndOverride) {
  ScratchDir dir("options");
  auto options = osgan::preset_options("smoke");
  // The resolved config says what the diversity term weighs at a batch other than the published 5.
  EXPECT_NE(osgan::to_yaml(options).find("at batch 8 sums 28 pairs"), std::string::npos) << osgan::to_yaml(options);
  EXPECT_NE(osgan::to_yaml(options).find("2.8x"), std::string::npos);
  EXPECT_EQ(osgan::to_yaml(osgan::preset_options("cpu")).find("pairs"), std::string::npos);
  options.gan.arch = "vanilla";
  options.gan.lr_d = 1e-4;
  options.seed = 1234567890123ULL;
  options.class_name = "tumor";
  const auto back = osgan::options_from_yaml_text(osgan::to_yaml(options), "x");
  EXPECT_TRUE(osgan::resume_mismatches(options, back).empty());
  EXPECT_EQ(back.gan.lr_d, 1e-4);
  EXPECT_EQ(back.seed, 1234567890123ULL);
  EXPECT_EQ(back.steps, options.steps);

  osgan::write_text_atomically(dir / "c.yaml", "steps: 42\nimage_size: 32\nuse_ema: false\nminibatch_std: true\n");
  osgan::apply_config_file(dir / "c.yaml", options);
  EXPECT_EQ(options.steps, 42);
  EXPECT_EQ(options.gan.image_size, 32);
  EXPECT_EQ(options.preprocess.size, 32);
  EXPECT_FALSE(options.gan.use_ema);
  EXPECT_TRUE(options.gan.minibatch_std);
  // Each changes the networks' shapes, so a run cannot resume under it.
  EXPECT_EQ(osgan::resume_mismatches(options, back),
            (std::vector<std::string>{"image_size", "minibatch_std", "use_ema"}));
}

TEST(GanTrainOptions, BadConfigFilesNameFileAndKey) {
  ScratchDir dir("options");
  auto options = osgan::preset_options("smoke");
  const auto expect_error = [&](const std::string& yaml, const std::string& needle) {
    osgan::write_text_atomically(dir / "bad.yaml", yaml);
    try {
      osgan::apply_config_file(dir / "bad.yaml", options);
      ADD_FAILURE() << "expected an error for: " << yaml;
    } catch (const osgan::Error& e) {
      EXPECT_NE(std::string(e.what()).find("bad.yaml"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error("stepz: 4\n", "stepz");
  expect_error("steps: many\n", "steps");
  expect_error("steps: [1, 2\n", "YAML");
  expect_error("- 1\n- 2\n", "mapping");
  expect_error("scaling: log\n", "percentile");
}

TEST(GanTrainOptions, SnapshotsAreEvenlySpreadAndEndAtTheLastStep) {
  auto o = osgan::preset_options("cpu");
  EXPECT_EQ(o.snapshots, 1);  // train-gan alone: the last step
  o.steps = 6000;
  EXPECT_EQ(osgan::snapshot_steps(o), (std::vector<std::int64_t>{6000}));
  o.snapshots = 5;
  EXPECT_EQ(osgan::snapshot_steps(o), (std::vector<std::int64_t>{2000, 3000, 4000, 5000, 6000}));
  o.steps = 7;
  o.snapshots = 3;
  EXPECT_EQ(osgan::snapshot_steps(o), (std::vector<std::int64_t>{3, 5, 7}));
  o.out_dir = "run";
  const auto paths = osgan::snapshot_checkpoints(o);
  ASSERT_EQ(paths.size(), 3u);
  EXPECT_EQ(paths[0].generic_string(), "run/checkpoints/step_000003.pt");
  EXPECT_EQ(paths[2].generic_string(), "run/checkpoints/step_000007.pt");

  // Written to the resolved config only when set, so that older configs and fingerprints stay as they were.
  o.snapshots = 1;
  EXPECT_EQ(osgan::to_yaml(o).find("snapshots"), std::string::npos);
  o.snapshots = 3;
  EXPECT_NE(osgan::to_yaml(o).find("snapshots: 3"), std::string::npos);
  EXPECT_EQ(osgan::options_from_yaml_text(osgan::to_yaml(o), "x").snapshots, 3);

  o.image_file = "x.png";
  for (int bad : {0, -1, 8}) {
    o.snapshots = bad;
    try {
      osgan::validate(o);
      FAIL() << "snapshots " << bad;
    } catch (const osgan::Error& e) {
      EXPECT_NE(std::string(e.what()).find("snapshots"), std::string::npos) << e.what();
    }
  }
}

TEST(GanTrainOptions, CoverageKeysAreWrittenOnlyWhenTheTermIsOn) {
  auto o = osgan::preset_options("cpu");
  EXPECT_EQ(o.gan.lambda_coverage, 0.0);  // off in every preset: the published model
  // Off, the resolved config (and so every pipeline fingerprint made before the term existed) is as it was.
  EXPECT_EQ(osgan::to_yaml(o).find("coverage"), std::string::npos);
  o.gan.lambda_coverage = 1.5;
  o.gan.coverage_pool = 16;
  const auto text = osgan::to_yaml(o);
  EXPECT_NE(text.find("lambda_coverage: 1.5"), std::string::npos) << text;
  EXPECT_NE(text.find("coverage_pool: 16"), std::string::npos) << text;
  const auto back = osgan::options_from_yaml_text(text, "x");
  EXPECT_EQ(back.gan.lambda_coverage, 1.5);
  EXPECT_EQ(back.gan.coverage_pool, 16);
}
