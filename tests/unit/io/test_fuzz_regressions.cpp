// The image fuzzers' findings (tests/fuzz/image_*/) through the normal build's read_image_file.
#include "osgan/io/image.h"
#include "support/fuzz_findings.h"

TEST(FuzzRegressions, ImageFindingsFailCleanly) {
  const auto files = osgan::test::fuzz_findings("image_");
  ASSERT_FALSE(files.empty()) << "no findings under tests/fuzz/image_*: is the path right?";
  for (const auto& file : files)
    osgan::test::expect_clean_failure(file, [](const auto& f) { osgan::io::read_image_file(f); });
}
