#include <gtest/gtest.h>

#include "osgan/core/one_line.h"

TEST(OneLine, EscapesControlCharactersAndKeepsTheRest) {
  EXPECT_EQ(osgan::one_line("IHDR\nx"), "IHDR\\x0Ax");
  EXPECT_EQ(osgan::one_line(std::string("a\0b\r\x7f", 5)), "a\\x00b\\x0D\\x7F");
  EXPECT_EQ(osgan::one_line("tumour/Überblick é.png"), "tumour/Überblick é.png") << "UTF-8 must survive";
  EXPECT_EQ(osgan::one_line(""), "");
}
