// The shared real dataset reads completely: all 400 files 256x256, format as the content says (the
// manifest's format column), one grey slice each. Skipped when the data is not present.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "osgan/io/image.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

TEST(RealData, AllFilesRead256x256WithContentFormat) {
  const fs::path root = osgan::test::real_data_dir();
  if (root.empty()) GTEST_SKIP() << "shared real data not present";
  // manifest.csv: path,label,original_split,original_path,sha256,format,...; paths have no commas.
  std::map<std::string, std::string> manifest_format;
  std::ifstream csv(root / "manifest.csv");
  std::string line;
  std::getline(csv, line);
  while (std::getline(csv, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cols.push_back(c);
    ASSERT_GE(cols.size(), 6u) << line;
    std::string fmt = cols[5];
    std::transform(fmt.begin(), fmt.end(), fmt.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    manifest_format[cols[0]] = fmt;
  }
  int count = 0;
  for (const char* label : {"normal", "tumor"})
    for (const auto& entry : fs::directory_iterator(root / label)) {
      const auto file = osgan::io::read_image_file(entry.path());
      const std::string rel = std::string(label) + "/" + entry.path().filename().string();
      ASSERT_EQ(file.slices.size(), 1u) << rel;
      EXPECT_EQ(file.slices[0].image.width, 256) << rel;
      EXPECT_EQ(file.slices[0].image.height, 256) << rel;
      EXPECT_EQ(file.info.format, osgan::io::detect_format(entry.path())) << rel;
      ASSERT_TRUE(manifest_format.count(rel)) << rel << " not in manifest.csv";
      EXPECT_EQ(file.info.format, manifest_format[rel]) << rel;
      const auto [lo, hi] = std::minmax_element(file.slices[0].image.pixels.begin(), file.slices[0].image.pixels.end());
      EXPECT_GE(*lo, 0.f) << rel;
      EXPECT_LE(*hi, 255.f + 1e-3f) << rel;
      EXPECT_GT(*hi, *lo) << rel << " is blank";
      ++count;
    }
  EXPECT_EQ(count, 400);
}
