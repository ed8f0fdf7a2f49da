// The image fuzzers' findings (tests/fuzz/image_*/) through the normal build's read_image_file.
#include <algorithm>

#include "osgan/core/error.h"
#include "osgan/io/image.h"
#include "support/fuzz_findings.h"

TEST(FuzzRegressions, ImageFindingsFailCleanly) {
  const auto files = osgan::test::fuzz_findings("image_");
  ASSERT_FALSE(files.empty()) << "no findings under tests/fuzz/image_*: is the path right?";
  for (const auto& file : files)
    osgan::test::expect_clean_failure(file, [](const auto& f) { osgan::io::read_image_file(f); });
}

// A 100-byte PNG whose IDAT declares 1.35 GB: stb_image allocated it all before reading (an out-of-memory finding,
// which the clean-failure check above cannot see). libpng streams IDAT, so it allocates nothing of the kind; here the
// data already fails to inflate before the file ends.
TEST(FuzzRegressions, PngChunkLongerThanTheFileIsRefused) {
  const auto files = osgan::test::fuzz_findings("image_png");
  const auto it = std::find_if(files.begin(), files.end(),
                               [](const auto& f) { return f.filename() == "png-idat-declares-2gib.png"; });
  ASSERT_NE(it, files.end()) << "tests/fuzz/image_png/png-idat-declares-2gib.png is missing";
  try {
    osgan::io::read_image_file(*it);
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("corrupt PNG (libpng: IDAT: invalid distance code)"), std::string::npos) << e.what();
  }
}
