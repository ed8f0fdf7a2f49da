#include <gtest/gtest.h>

#include "osgan/core/duration.h"

TEST(FormatDuration, MinutesAndSecondsUnderAnHourHoursAndMinutesFromAnHourOn) {
  EXPECT_EQ(osgan::format_duration(0), "0m00s");
  EXPECT_EQ(osgan::format_duration(59.6), "1m00s");  // rounded to the second
  EXPECT_EQ(osgan::format_duration(247), "4m07s");
  EXPECT_EQ(osgan::format_duration(3599.4), "59m59s");
  EXPECT_EQ(osgan::format_duration(3600), "1h00m");
  EXPECT_EQ(osgan::format_duration(4980), "1h23m");
  EXPECT_EQ(osgan::format_duration(-3), "0m00s");  // a clock that stepped back reads as nothing left
}
