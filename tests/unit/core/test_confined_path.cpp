#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "osgan/core/confined_path.h"
#include "osgan/core/error.h"

TEST(ConfinedPath, PlainNamesStayInsideTheFolder) {
  EXPECT_EQ(osgan::confined_child("run/gan", "tumor", "class name"), std::filesystem::path("run/gan/tumor"));
  EXPECT_EQ(osgan::confined_child("run/gan", "grade 2 (high)", "class name"), std::filesystem::path("run/gan/grade 2 (high)"));
  EXPECT_TRUE(osgan::is_plain_path_component("..hidden"));  // a name that merely starts with dots is fine
  EXPECT_FALSE(osgan::is_plain_path_component(std::string("a\0b", 3)));
}

TEST(ConfinedPath, NamesThatLeaveTheFolderAreRejectedWithTheNameAndFolder) {
  const std::vector<std::string> bad_names = {"..", ".", "", "../escape", "/etc", "a/b", "a\\b", "a\nb"};
  for (const auto& bad : bad_names) {
    EXPECT_FALSE(osgan::is_plain_path_component(bad)) << bad;
    try {
      osgan::confined_child("run/gan", bad, "class name");
      ADD_FAILURE() << "accepted \"" << bad << "\"";
    } catch (const osgan::Error& e) {
      const std::string message = e.what();
      EXPECT_EQ(e.code(), osgan::ErrorCode::invalid_argument);
      EXPECT_NE(message.find("class name \"" + bad + "\""), std::string::npos) << message;
      EXPECT_NE(message.find("run/gan"), std::string::npos) << message;
    }
  }
}
