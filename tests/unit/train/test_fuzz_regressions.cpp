// The YAML config and checkpoint fuzzers' findings (tests/fuzz/gan_config/, tests/fuzz/checkpoint/) through
// the normal build: each must fail with one osgan::Error line that names the file.
#include "osgan/train/checkpoint.h"
#include "osgan/train/gan_train_options.h"
#include "support/fuzz_findings.h"

TEST(FuzzRegressions, GanConfigFindingsFailCleanly) {
  const auto files = osgan::test::fuzz_findings("gan_config");
  ASSERT_FALSE(files.empty()) << "no findings under tests/fuzz/gan_config: is the path right?";
  for (const auto& file : files)
    osgan::test::expect_clean_failure(file, [](const auto& f) {
      osgan::GanTrainOptions options;
      osgan::apply_config_file(f, options);
    });
}

TEST(FuzzRegressions, CheckpointFindingsFailCleanly) {
  const auto files = osgan::test::fuzz_findings("checkpoint");
  ASSERT_FALSE(files.empty()) << "no findings under tests/fuzz/checkpoint: is the path right?";
  for (const auto& file : files)
    osgan::test::expect_clean_failure(file, [](const auto& f) { osgan::read_checkpoint_info(f); });
}
