// The YAML config, pipeline config, checkpoint and classifier fuzzers' findings (tests/fuzz/<target>/) through
// the normal build: each must fail with one osgan::Error line that names the file.
#include <fstream>
#include <optional>

#include "osgan/pipeline/pipeline.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/classifier_checkpoint.h"
#include "osgan/train/gan_train_options.h"
#include "support/fuzz_findings.h"
#include "support/test_support.h"

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
  // The fuzzer skips the archives' CRC check to reach the pickles: replay them that way too, so each file still
  // meets the defence it was found against and not only the CRC.
  osgan::test::ScopedEnv skip_crc("OSGAN_FUZZ_SKIP_ARCHIVE_CRC", "1");
  for (const auto& file : files)
    osgan::test::expect_clean_failure(file, [](const auto& f) { osgan::read_checkpoint_info(f); });
}

TEST(FuzzRegressions, PipelineConfigFindingsFailCleanly) {
  const auto files = osgan::test::fuzz_findings("pipeline_config");
  ASSERT_FALSE(files.empty()) << "no findings under tests/fuzz/pipeline_config: is the path right?";
  for (const auto& file : files)
    osgan::test::expect_clean_failure(file, [](const auto& f) {
      osgan::PipelineOptions options;
      options.config_file = f;
      osgan::resolve_pipeline_options(options);
    });
}

// A classifier input is classifier.json, the marker "\0OSGANPT", then model.pt (fuzz/fuzz_classifier.cpp):
// unpacked into a folder, which the error must name.
TEST(FuzzRegressions, ClassifierFindingsFailCleanly) {
  const auto files = osgan::test::fuzz_findings("classifier");
  ASSERT_FALSE(files.empty()) << "no findings under tests/fuzz/classifier: is the path right?";
  for (bool skip_crc : {false, true}) {
    std::optional<osgan::test::ScopedEnv> env;
    if (skip_crc) env.emplace("OSGAN_FUZZ_SKIP_ARCHIVE_CRC", "1");  // as the fuzzer found them
    for (const auto& file : files) {
      SCOPED_TRACE(file.string());
      osgan::test::ScratchDir dir("classifier-finding");
      std::ifstream in(file, std::ios::binary);
      const std::string input((std::istreambuf_iterator<char>(in)), {});
      const std::size_t split = input.find(std::string("\0OSGANPT", 8));
      ASSERT_NE(split, std::string::npos);
      std::ofstream(dir / "classifier.json", std::ios::binary) << input.substr(0, split);
      std::ofstream(dir / "model.pt", std::ios::binary) << input.substr(split + 8);
      try {
        osgan::load_classifier(dir.path(), torch::kCPU);
        ADD_FAILURE() << "the damaged classifier loaded";
      } catch (const osgan::Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(dir.path().string()), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
      }
    }
  }
}
