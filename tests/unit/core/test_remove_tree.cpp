#include <gtest/gtest.h>

#include <fstream>

#include "osgan/core/remove_tree.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

TEST(RemoveTree, RemovesNestedFoldersButNeverFollowsSymlinks) {
  osgan::test::ScratchDir dir("remove-tree");
  fs::create_directories(dir / "run/a/b");
  std::ofstream(dir / "run/a/b/file.txt") << "x";
  fs::create_directories(dir / "keep");
  std::ofstream(dir / "keep/precious.txt") << "y";
  fs::create_directory_symlink(dir / "keep", dir / "run/link-to-keep");
  EXPECT_TRUE(osgan::remove_tree(dir / "run"));
  EXPECT_FALSE(fs::exists(dir / "run"));
  EXPECT_TRUE(fs::exists(dir / "keep/precious.txt")) << "followed a symlink out of the tree";
  EXPECT_TRUE(osgan::remove_tree(dir / "does-not-exist"));
}
