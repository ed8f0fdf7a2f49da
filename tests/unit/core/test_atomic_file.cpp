#include <gtest/gtest.h>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using osgan::test::ScratchDir;

TEST(AtomicFile, WritesAndReplacesContent) {
  ScratchDir dir("atomic");
  osgan::write_text_atomically(dir / "a.txt", "first");
  osgan::write_text_atomically(dir / "a.txt", "second");
  EXPECT_EQ(osgan::read_text_file(dir / "a.txt"), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1) << "temporary file left behind";
}

TEST(AtomicFile, FailedWriteKeepsOldContentAndLeavesNoTemporary) {
  ScratchDir dir("atomic");
  osgan::write_text_atomically(dir / "a.txt", "good");
  EXPECT_THROW(osgan::write_atomically(dir / "a.txt",
                                       [](const fs::path& tmp) {
                                         osgan::write_text_atomically(tmp, "partial");
                                         throw osgan::Error(osgan::ErrorCode::io, "simulated disk full");
                                       }),
               osgan::Error);
  EXPECT_EQ(osgan::read_text_file(dir / "a.txt"), "good");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(AtomicFile, ReadingAMissingFileNamesIt) {
  ScratchDir dir("atomic");
  try {
    osgan::read_text_file(dir / "missing.txt");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.txt"), std::string::npos) << e.what();
  }
}
