// The split fuzzer's findings (tests/fuzz/split/) through the normal build's read_split.
#include "osgan/data/split.h"
#include "support/fuzz_findings.h"

TEST(FuzzRegressions, SplitFindingsFailCleanly) {
  const auto files = osgan::test::fuzz_findings("split");
  ASSERT_FALSE(files.empty()) << "no findings under tests/fuzz/split: is the path right?";
  for (const auto& file : files)
    osgan::test::expect_clean_failure(file, [](const auto& f) { osgan::data::read_split(f); });
}
