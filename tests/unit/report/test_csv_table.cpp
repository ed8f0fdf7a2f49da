#include <gtest/gtest.h>

#include <cmath>

#include "osgan/core/error.h"
#include "osgan/report/csv_table.h"

using namespace osgan::report;

TEST(CsvTable, ParsesHeaderAndNumbers) {
  const auto t = parse_csv_table("step,g_total,d_total\n1,2.5,0.5\n2, 2.0 ,nan\n\n3,1e-1,\n", "log.csv");
  ASSERT_EQ(t.columns, (std::vector<std::string>{"step", "g_total", "d_total"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.column_index("d_total"), 2);
  EXPECT_EQ(t.column_index("nope"), -1);
  EXPECT_DOUBLE_EQ(t.rows[1][1], 2.0);
  EXPECT_TRUE(std::isnan(t.rows[1][2]));
  EXPECT_DOUBLE_EQ(t.rows[2][1], 0.1);
  EXPECT_TRUE(std::isnan(t.rows[2][2])) << "an empty last cell reads as NaN";
  EXPECT_EQ(t.column(0), (std::vector<double>{1, 2, 3}));
}

TEST(CsvTable, WrongCellCountNamesFileAndLine) {
  try {
    parse_csv_table("step,g\n1,2\n2\n", "gan_losses.csv");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_EQ(e.code(), osgan::ErrorCode::bad_format);
    EXPECT_NE(std::string(e.what()).find("gan_losses.csv:3"), std::string::npos) << e.what();
  }
}

TEST(CsvTable, TextCellIsAnError) {
  try {
    parse_csv_table("step,g\n1,abc\n", "l.csv");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("\"abc\""), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_csv_table("", "empty.csv"), osgan::Error);
  EXPECT_THROW(read_csv_table("/nonexistent/osgan/l.csv"), osgan::Error);
}
