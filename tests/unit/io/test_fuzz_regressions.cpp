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

// A chunk that declares more bytes than the file holds is refused before stb sees it (stb allocated the declared
// 2 GiB first: an out-of-memory finding of fuzz_image_stb, which the clean-failure check above cannot see).
TEST(FuzzRegressions, PngChunkLongerThanTheFileIsRefusedBeforeDecoding) {
  const auto files = osgan::test::fuzz_findings("image_stb");
  const auto it = std::find_if(files.begin(), files.end(),
                               [](const auto& f) { return f.filename() == "png-idat-declares-2gib.png"; });
  ASSERT_NE(it, files.end()) << "tests/fuzz/image_stb/png-idat-declares-2gib.png is missing";
  try {
    osgan::io::read_image_file(*it);
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("PNG chunk at byte 68 declares 1353889815 data bytes"), std::string::npos)
        << e.what();
  }
}
