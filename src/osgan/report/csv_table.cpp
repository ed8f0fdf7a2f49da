// Parsing numeric CSV tables (GAN loss logs). Strict: a malformed row is an error naming the line, since a
// silently dropped row would draw a wrong curve.
#include "osgan/report/csv_table.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"

namespace osgan::report {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split_cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) cells.push_back(trim(cell));
  if (!line.empty() && line.back() == ',') cells.push_back("");
  return cells;
}

double parse_number(const std::string& cell, const std::string& source, int line_no) {
  if (cell.empty() || cell == "nan" || cell == "NaN") return std::nan("");
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(cell.c_str(), &end);
  if (end != cell.c_str() + cell.size() || errno == ERANGE)
    fail(ErrorCode::bad_format, source + ":" + std::to_string(line_no) + ": expected a number, found \"" + cell +
                                    "\"");
  return v;
}

}  // namespace

int CsvTable::column_index(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

std::vector<double> CsvTable::column(int index) const {
  std::vector<double> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(row.at(static_cast<size_t>(index)));
  return out;
}

CsvTable parse_csv_table(const std::string& text, const std::string& source) {
  CsvTable table;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    auto cells = split_cells(line);
    if (table.columns.empty()) {
      table.columns = cells;
      continue;
    }
    if (cells.size() != table.columns.size())
      fail(ErrorCode::bad_format, source + ":" + std::to_string(line_no) + ": expected " +
                                      std::to_string(table.columns.size()) + " cells as in the header, found " +
                                      std::to_string(cells.size()));
    std::vector<double> row;
    row.reserve(cells.size());
    for (const auto& cell : cells) row.push_back(parse_number(cell, source, line_no));
    table.rows.push_back(std::move(row));
  }
  if (table.columns.empty()) fail(ErrorCode::bad_format, source + ": empty CSV, expected a header line");
  return table;
}

CsvTable read_csv_table(const std::filesystem::path& path) {
  return parse_csv_table(read_text_file(path), path.string());
}

}  // namespace osgan::report
