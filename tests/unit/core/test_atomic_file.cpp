#include <gtest/gtest.h>

#include <unistd.h>

#include <stdexcept>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using osgan::test::ScopedEnv;
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

namespace {

std::size_t files_in(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

std::string write_error(const fs::path& path, const std::string& content) {
  try {
    osgan::write_text_atomically(path, content);
  } catch (const osgan::Error& e) {
    EXPECT_EQ(e.code(), osgan::ErrorCode::io);
    return e.what();
  }
  ADD_FAILURE() << "expected writing " << path << " to fail";
  return "";
}

}  // namespace

TEST(AtomicFile, MissingFolderIsReportedWithThePathAndReason) {
  ScratchDir dir("atomic");
  const auto message = write_error(dir / "nowhere" / "a.txt", "x");
  EXPECT_NE(message.find("nowhere/a.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
}

TEST(AtomicFile, WriterExceptionsBecomeOneLineIoErrorsNamingThePath) {
  ScratchDir dir("atomic");
  try {
    osgan::write_atomically(dir / "b.bin", [](const fs::path&) { throw std::runtime_error("zip failed\nbacktrace"); });
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.code(), osgan::ErrorCode::io);
    EXPECT_NE(message.find("b.bin"), std::string::npos) << message;
    EXPECT_NE(message.find("zip failed"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  EXPECT_EQ(files_in(dir.path()), 0u) << "temporary file left behind";
}

TEST(AtomicFile, SimulatedFullDiskFailsOnceTheBudgetIsSpentAndKeepsEarlierFiles) {
  ScratchDir dir("atomic");
  ScopedEnv disk("OSGAN_TEST_DISK_BYTES", "10");  // cumulative over the process: earlier tests wrote none with it set
  osgan::write_text_atomically(dir / "a.txt", "12345");
  const auto message = write_error(dir / "a.txt", "1234567890");
  EXPECT_NE(message.find("a.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
  EXPECT_EQ(osgan::read_text_file(dir / "a.txt"), "12345");
  EXPECT_EQ(files_in(dir.path()), 1u) << "temporary file left behind";
}

TEST(AtomicFile, SimulatedReadOnlyFolderRefusesWritesInsideItOnly) {
  ScratchDir dir("atomic");
  fs::create_directories(dir / "ro" / "sub");
  osgan::write_text_atomically(dir / "ro" / "sub" / "old.txt", "old");
  ScopedEnv read_only("OSGAN_TEST_READ_ONLY_DIR", (dir / "ro").string());
  const auto message = write_error(dir / "ro" / "sub" / "old.txt", "new");
  EXPECT_NE(message.find("old.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("Read-only file system"), std::string::npos) << message;
  EXPECT_EQ(osgan::read_text_file(dir / "ro" / "sub" / "old.txt"), "old");
  osgan::write_text_atomically(dir / "rw.txt", "fine");  // outside the folder
  EXPECT_EQ(osgan::read_text_file(dir / "rw.txt"), "fine");
}

TEST(AtomicFile, RealReadOnlyFolderIsReportedWhenPermissionsApply) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only folders; the simulated test above covers it";
  ScratchDir dir("atomic");
  fs::create_directories(dir / "ro");
  osgan::write_text_atomically(dir / "ro" / "old.txt", "old");
  fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  const auto message = write_error(dir / "ro" / "old.txt", "new");
  fs::permissions(dir / "ro", fs::perms::owner_all);
  EXPECT_NE(message.find("Permission denied"), std::string::npos) << message;
  EXPECT_EQ(osgan::read_text_file(dir / "ro" / "old.txt"), "old");
}

TEST(AtomicFile, TemporaryFilesAreRecognisedAndRemoved) {
  ScratchDir dir("atomic");
  fs::create_directories(dir / "sub");
  osgan::write_text_atomically(dir / "keep.txt", "k");
  // As a killed process leaves it: pid 99999999 is above Linux's largest pid (2^22), so that writer is gone.
  const auto dead = dir / "sub" / "left.pt.tmp.99999999.456";
  // A writer still running (our parent, the test runner) keeps its temporary.
  const auto live = dir / ("busy.pt.tmp." + std::to_string(::getppid()) + ".7");
  osgan::write_text_atomically(dead, "partial");
  osgan::write_text_atomically(live, "partial");
  osgan::write_text_atomically(dir / "notes.tmp.txt", "a user's file");
  osgan::write_text_atomically(dir / "x.tmp.12.3b", "a user's file");
  fs::create_directories(dir / "sub" / "deeper");  // two levels down: not part of a run folder
  osgan::write_text_atomically(dir / "sub" / "deeper" / "far.tmp.99999999.1", "not ours to judge");
  EXPECT_TRUE(osgan::is_temporary_file(dead));
  EXPECT_TRUE(osgan::is_temporary_file(live));
  EXPECT_FALSE(osgan::is_temporary_file(dir / "keep.txt"));
  EXPECT_FALSE(osgan::is_temporary_file(dir / "notes.tmp.txt"));
  EXPECT_FALSE(osgan::is_temporary_file(dir / "x.tmp.12.3b"));
  EXPECT_EQ(osgan::remove_temporary_files(dir.path()), 1);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(dir / "keep.txt"));
  EXPECT_TRUE(fs::exists(dir / "notes.tmp.txt"));
  EXPECT_TRUE(fs::exists(dir / "x.tmp.12.3b"));
  EXPECT_TRUE(fs::exists(dir / "sub" / "deeper" / "far.tmp.99999999.1"));
}
