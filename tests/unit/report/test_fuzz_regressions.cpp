// The metrics.json fuzzer's findings (tests/fuzz/run_metrics/) through the normal build's load_run_metrics.
#include "osgan/report/run_metrics.h"
#include "support/fuzz_findings.h"

TEST(FuzzRegressions, RunMetricsFindingsFailCleanly) {
  const auto files = osgan::test::fuzz_findings("run_metrics");
  ASSERT_FALSE(files.empty()) << "no findings under tests/fuzz/run_metrics: is the path right?";
  for (const auto& file : files)
    osgan::test::expect_clean_failure(file, [](const auto& f) { osgan::report::load_run_metrics(f); });
}
