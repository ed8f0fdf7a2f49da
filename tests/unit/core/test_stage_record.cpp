#include <gtest/gtest.h>

#include <fstream>

#include "osgan/core/atomic_file.h"
#include "osgan/core/stage_record.h"
#include "support/test_support.h"

using osgan::test::ScratchDir;

TEST(StageRecords, CompleteOnlyWithSameFingerprintAndOutputsPresent) {
  ScratchDir run("stages");
  osgan::StageRecords records(run.path());
  EXPECT_FALSE(records.is_complete("split", "abc"));
  osgan::write_text_atomically(run / "split.json", "{}");
  records.mark_complete({"split", "abc", 1.5, {"split.json"}});
  EXPECT_TRUE(records.is_complete("split", "abc"));
  EXPECT_FALSE(records.is_complete("split", "changed-config"));
  std::filesystem::remove(run / "split.json");
  EXPECT_FALSE(records.is_complete("split", "abc")) << "a missing output must make the stage run again";
}

TEST(StageRecords, InvalidateAndDamagedRecord) {
  ScratchDir run("stages");
  osgan::StageRecords records(run.path());
  records.mark_complete({"audit", "f1", 0.2, {}});
  EXPECT_TRUE(records.is_complete("audit", "f1"));
  records.invalidate("audit");
  EXPECT_FALSE(records.is_complete("audit", "f1"));
  records.mark_complete({"audit", "f1", 0.2, {}});
  std::ofstream(run / "stages" / "audit.json") << "{ truncated";
  EXPECT_FALSE(records.is_complete("audit", "f1"));
}
