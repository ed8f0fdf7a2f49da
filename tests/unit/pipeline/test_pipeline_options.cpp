#include <gtest/gtest.h>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/pipeline/pipeline.h"
#include "osgan/train/presets.h"
#include "support/test_support.h"

using osgan::test::ScratchDir;

namespace {

osgan::PipelineOptions resolved(const std::string& preset, const std::string& config_text = "") {
  ScratchDir dir("pipeline_options");
  osgan::PipelineOptions o;
  o.preset = preset;
  if (!config_text.empty()) {
    o.config_file = dir / "config.yaml";  // each ScratchDir is a fresh folder
    osgan::write_text_atomically(o.config_file, config_text);
  }
  osgan::resolve_pipeline_options(o);
  return o;
}

// The cpu preset with `config_text` is refused with a message holding `says` and naming the config file.
void expect_refused(const std::string& config_text, const std::string& says) {
  try {
    resolved("cpu", config_text);
    ADD_FAILURE() << "accepted: " << config_text;
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(".yaml"), std::string::npos) << "the file is not named: " << e.what();
  }
}

}  // namespace

// The cpu preset's GANs: a 5,000-step anatomy stage on both classes, then 6,000 steps per class, each generating
// from 5 snapshots of its fine-tune; the config file can turn the stage off or change the snapshots.
TEST(PipelineOptions, CpuPresetSharesAnAnatomyStageBetweenTheClasses) {
  const auto cpu = resolved("cpu");
  EXPECT_EQ(cpu.anatomy_steps, 5000);
  EXPECT_EQ(cpu.gan.steps, 6000);
  EXPECT_EQ(cpu.gan.snapshots, 5);
  EXPECT_EQ(osgan::snapshot_steps(cpu.gan), (std::vector<std::int64_t>{2000, 3000, 4000, 5000, 6000}));

  for (const char* preset : {"smoke", "paper"}) {
    const auto o = resolved(preset);
    EXPECT_EQ(o.anatomy_steps, 0) << preset;
    EXPECT_EQ(o.gan.steps, osgan::preset_options(preset).steps) << preset;
    EXPECT_EQ(o.gan.snapshots, 1) << preset;
  }

  const auto scratch = resolved("cpu", "gan:\n  anatomy_steps: 0\n  steps: 6000\n");
  EXPECT_EQ(scratch.anatomy_steps, 0);
  EXPECT_EQ(scratch.gan.steps, 6000);
  const auto longer = resolved("cpu", "gan:\n  anatomy_steps: 3000\n  snapshots: 1\n");
  EXPECT_EQ(longer.anatomy_steps, 3000);
  EXPECT_EQ(longer.gan.steps, 6000);
  EXPECT_EQ(longer.gan.snapshots, 1);
}

// The ratio sweep: the cpu and paper presets add ratios 0.25, 0.5 and 1 with both filters after the five standard
// protocols; smoke adds none; the config file sets the ratios and filters, and bad values are named.
TEST(PipelineOptions, RatioSweepBecomesStudyProtocols) {
  const std::vector<std::string> cpu_sweep = {
      "real", "real_classical", "synthetic", "real_synthetic", "real_synthetic_classical",
      "real_synthetic_r0.25_none", "real_synthetic_r0.25_nearest", "real_synthetic_r0.5_none",
      "real_synthetic_r0.5_nearest", "real_synthetic_r1_none", "real_synthetic_r1_nearest"};
  EXPECT_EQ(resolved("cpu").study.protocols, cpu_sweep);
  EXPECT_EQ(resolved("paper").study.protocols, cpu_sweep);
  EXPECT_EQ(resolved("smoke").study.protocols, osgan::study_protocol_names());

  const auto custom = resolved("smoke", "study:\n  protocols: [real, real_synthetic]\n  ratios: [2]\n  ratio_filters: [nearest]\n");
  EXPECT_EQ(custom.study.protocols, (std::vector<std::string>{"real", "real_synthetic", "real_synthetic_r2_nearest"}));
  const auto off = resolved("cpu", "study:\n  ratios: []\n");
  EXPECT_EQ(off.study.protocols, osgan::study_protocol_names());

  for (const char* bad : {"study:\n  ratios: [0]\n", "study:\n  ratios: [-1]\n", "study:\n  ratio_filters: [best]\n",
                          "study:\n  ratios: half\n"})
    expect_refused(bad, "ratio");
}

// --gan-seeds: 1 in every preset, study.gan_seeds in the config, the flag over the config; 0 or over 100 refused.
TEST(PipelineOptions, GanSeedsFromTheFlagOrTheConfig) {
  EXPECT_EQ(resolved("cpu").gan_seeds, 1);
  EXPECT_EQ(resolved("smoke", "study:\n  gan_seeds: 3\n").gan_seeds, 3);
  ScratchDir dir("pipeline_options_gan_seeds");
  osgan::PipelineOptions o;
  o.preset = "smoke";
  o.config_file = dir / "config.yaml";
  osgan::write_text_atomically(o.config_file, "study:\n  gan_seeds: 3\n");
  o.gan_seeds_flag = 2;
  osgan::resolve_pipeline_options(o);
  EXPECT_EQ(o.gan_seeds, 2);
  for (int bad : {0, 101}) {
    osgan::PipelineOptions b;
    b.preset = "smoke";
    b.gan_seeds_flag = bad;
    try {
      osgan::resolve_pipeline_options(b);
      ADD_FAILURE() << "--gan-seeds " << bad << " was accepted";
    } catch (const osgan::Error& e) {
      EXPECT_NE(std::string(e.what()).find("got " + std::to_string(bad)), std::string::npos) << e.what();
    }
  }
}

// gan.per_mode: read from the config file (a pipeline key, not train-gan's); the pipeline, not the config, chooses
// each GAN's images.
TEST(PipelineOptions, PerModeIsAPipelineKeyAndSamplesAreRefused) {
  EXPECT_TRUE(resolved("smoke", "gan:\n  per_mode: true\n  steps: 7\n").per_mode);
  EXPECT_FALSE(resolved("smoke", "gan:\n  per_mode: false\n").per_mode);
  EXPECT_FALSE(resolved("smoke").per_mode);
  EXPECT_FALSE(resolved("paper").per_mode);
  EXPECT_EQ(resolved("smoke", "gan:\n  per_mode: true\n  steps: 7\n").gan.steps, 7);
  EXPECT_THROW(resolved("smoke", "gan:\n  per_mode: often\n"), osgan::Error);
  try {
    resolved("smoke", "gan:\n  samples: [tumor/a.png]\n");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("gan.samples is chosen by the pipeline"), std::string::npos) << e.what();
  }
}

TEST(PipelineOptions, TheUpsamplerSectionSetsTheCascadeAndBadValuesAreNamed) {
  EXPECT_EQ(resolved("cpu").upsample_to, 128);  // the cpu preset's 32 px GANs, enlarged to the seed's 128 px
  EXPECT_EQ(resolved("cpu").upsampler.steps, 4000);
  EXPECT_EQ(resolved("cpu", "upsampler:\n  size: 0\n").upsample_to, 0);
  EXPECT_EQ(resolved("smoke").upsample_to, 0);
  EXPECT_EQ(resolved("paper").upsample_to, 0);
  const auto on = resolved("cpu", "upsampler:\n  size: 128\n  steps: 300\n  adversarial: 0.05\n  crop: 32\n");
  EXPECT_EQ(on.upsample_to, 128);
  EXPECT_EQ(on.upsampler.size, 128);
  EXPECT_EQ(on.upsampler.steps, 300);
  EXPECT_DOUBLE_EQ(on.upsampler.adversarial_weight, 0.05);
  EXPECT_EQ(on.upsampler.crop, 32);
  expect_refused("upsampler:\n  size: 96\n", "upsampler.size 96 is not the GAN's 32 px times 2, 4, 8 or 16");
  expect_refused("upsampler:\n  size: 32\n", "upsampler.size 32 is not the GAN's 32 px times");
  expect_refused("upsampler:\n  size: 1024\n", "upsampler.size 1024 is not the GAN's 32 px times");
  expect_refused("upsampler:\n  size: 128\n  steps: 0\n", "--steps");
  expect_refused("upsampler:\n  size: 128\n  factor: 4\n", "unknown key upsampler.factor");
  expect_refused("upsampler:\n  size: big\n", "upsampler.size has the wrong type");
  expect_refused("gan:\n  image_size: 0\n", "gan.image_size 0: expected a positive size");  // with the cpu preset's cascade
}

// The classifiers read the images at the size they are generated at unless classifier.image_size says otherwise:
// the cpu preset's cascade makes it 128 px (the size chosen by cross-validation, docs/study.md); without the cascade
// it is the GAN's. Sizes out of range are refused naming the file.
TEST(PipelineOptions, TheClassifiersReadTheGeneratedImagesSizeUnlessTheConfigSetsOne) {
  EXPECT_EQ(resolved("cpu").study.classifier.model.image_size, 128);
  EXPECT_EQ(resolved("cpu", "upsampler:\n  size: 0\n").study.classifier.model.image_size, 32);
  EXPECT_EQ(resolved("cpu", "upsampler:\n  size: 64\n").study.classifier.model.image_size, 64);
  EXPECT_EQ(resolved("cpu", "classifier:\n  image_size: 32\n").study.classifier.model.image_size, 32);
  EXPECT_EQ(resolved("smoke").study.classifier.model.image_size, osgan::preset_options("smoke").gan.image_size);
  EXPECT_EQ(resolved("paper").study.classifier.model.image_size, osgan::preset_options("paper").gan.image_size);
  for (const char* size : {"4", "-1", "4096"})
    expect_refused("classifier:\n  image_size: " + std::string(size) + "\n",
                   "classifier.image_size " + std::string(size) + ": expected 8 to 1024 px");
}
