// Child processes run the very binary of their parent, even when a rebuild has replaced its file meanwhile.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "osgan/core/atomic_file.h"
#include "osgan/core/child_process.h"

namespace fs = std::filesystem;

namespace {
constexpr const char* kSelfDeleteVariable = "OSGAN_TEST_RUNNING_FROM_A_DELETED_COPY";
}

TEST(ChildProcess, StartsItsOwnBinaryEvenAfterThatFileWasDeleted) {
  const auto dir = fs::temp_directory_path() / "osgan_child_process_test";
  if (const char* copy = std::getenv(kSelfDeleteVariable)) {
    // Second level: this process runs from a copy of the test binary. Delete the copy (what a relink does to the
    // old file), then start "this binary" again, as the pipeline starts its GAN children.
    ASSERT_TRUE(fs::remove(copy));
    osgan::ChildProcess child({osgan::current_executable().string(), "--gtest_list_tests"}, dir / "grandchild.log");
    EXPECT_EQ(child.wait(), 0);
    const auto text = osgan::read_text_file(dir / "grandchild.log");
    EXPECT_NE(text.find("StartsItsOwnBinaryEvenAfterThatFileWasDeleted"), std::string::npos) << text;
    return;
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto copy = dir / "test_binary_copy";
  fs::copy_file(fs::read_symlink("/proc/self/exe"), copy);
  fs::permissions(copy, fs::perms::owner_all);
  ASSERT_EQ(setenv(kSelfDeleteVariable, copy.c_str(), 1), 0);
  osgan::ChildProcess child({copy.string(), "--gtest_filter=ChildProcess.StartsItsOwnBinaryEvenAfterThatFileWasDeleted"},
                            dir / "child.log");
  const int rc = child.wait();
  unsetenv(kSelfDeleteVariable);
  const auto text = osgan::read_text_file(dir / "child.log");
  EXPECT_EQ(rc, 0) << text;
  EXPECT_NE(text.find("[  PASSED  ] 1 test"), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(copy));  // the child did delete its own file before starting the grandchild
}
