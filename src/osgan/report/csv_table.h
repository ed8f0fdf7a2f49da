// A numeric CSV table: one header line of column names, then rows of numbers. Used for the GAN loss logs
// (columns: step, then one column per loss, such as g_total and d_total).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace osgan::report {

struct CsvTable {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;  // (rows, columns); empty cells and "nan" read as NaN

  // Index of a column, or -1.
  int column_index(const std::string& name) const;
  std::vector<double> column(int index) const;
};

// Parses CSV text. Throws osgan::Error (bad_format) naming `source` and the line when a row has the wrong
// number of cells or a cell is not a number.
CsvTable parse_csv_table(const std::string& text, const std::string& source);

// Reads and parses a CSV file (osgan::Error io when it cannot be read).
CsvTable read_csv_table(const std::filesystem::path& path);

}  // namespace osgan::report
