#include <gtest/gtest.h>

#include "osgan/core/atomic_file.h"
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
