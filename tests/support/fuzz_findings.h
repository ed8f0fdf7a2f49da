// The inputs the fuzzers found (tests/fuzz/<target>/, docs/hardening.md), for unit tests that replay them
// through the normal build and expect osgan's clean failure: one osgan::Error line that names the file.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "osgan/core/error.h"

namespace osgan::test {

// Every file in tests/fuzz/<dir>/ for each dir whose name starts with `prefix`, sorted.
inline std::vector<std::filesystem::path> fuzz_findings(const std::string& prefix) {
  std::vector<std::filesystem::path> files;
  for (const auto& dir : std::filesystem::directory_iterator(std::filesystem::path(OSGAN_SOURCE_DIR) / "tests" / "fuzz"))
    if (dir.is_directory() && dir.path().filename().string().rfind(prefix, 0) == 0)
      for (const auto& f : std::filesystem::directory_iterator(dir.path())) files.push_back(f.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Runs `read(file)` and expects exactly the failure osgan promises for a damaged input.
template <class Read>
void expect_clean_failure(const std::filesystem::path& file, Read read) {
  SCOPED_TRACE(file.string());
  try {
    read(file);
    ADD_FAILURE() << "a fuzz finding was accepted as valid input";
  } catch (const osgan::Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
    EXPECT_NE(message.find(file.string()), std::string::npos) << "does not name the file: " << message;
  }
}

}  // namespace osgan::test
