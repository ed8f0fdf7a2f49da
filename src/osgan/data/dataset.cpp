// Loading a labelled dataset from a class-per-subfolder tree or a `path,label` CSV.
#include "osgan/data/dataset.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "osgan/core/error.h"
#include "osgan/core/hash.h"
#include "osgan/core/log.h"

namespace fs = std::filesystem;

namespace osgan::data {
namespace {

// Whether `text` is valid UTF-8 (file names end up in JSON files, which must be UTF-8).
bool is_valid_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || i + extra >= text.size() + (extra == 0 ? 1 : 0)) return false;
    for (int k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    i += 1 + extra;
  }
  return true;
}

// `text` with every byte that is not part of valid UTF-8 written as \xHH, for JSON records and messages.
std::string escape_invalid_utf8(const std::string& text) {
  if (is_valid_utf8(text)) return text;
  std::string out;
  static const char* kHex = "0123456789ABCDEF";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) out += ch;
    else out += std::string("\\x") + kHex[c >> 4] + kHex[c & 0xF];
  }
  return out;
}

struct Entry {
  fs::path file;  // absolute or relative to cwd, readable
  std::string relative;
  std::string label;
};

std::vector<Entry> list_folder(const fs::path& root) {
  std::vector<Entry> entries;
  std::error_code ec;
  for (const auto& class_dir : fs::directory_iterator(root, ec)) {
    if (!class_dir.is_directory(ec)) continue;
    const std::string label = class_dir.path().filename().string();
    if (label.empty() || label[0] == '.') continue;
    // Recurse inside a class folder, but never follow directory symlinks (loops).
    for (auto it = fs::recursive_directory_iterator(class_dir.path(), fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_directory(ec)) continue;
      entries.push_back({it->path(), fs::relative(it->path(), root, ec).string(), label});
    }
  }
  if (ec) fail(ErrorCode::io, "cannot list \"" + root.string() + "\" (" + ec.message() + ")");
  return entries;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { field += '"'; ++i; }
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') quoted = true;
    else if (c == ',') { fields.push_back(field); field.clear(); }
    else if (c != '\r') field += c;
  }
  fields.push_back(field);
  return fields;
}

std::vector<Entry> list_csv(const fs::path& csv) {
  std::ifstream in(csv);
  if (!in) fail(ErrorCode::io, "cannot read \"" + csv.string() + "\"");
  std::vector<Entry> entries;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    auto fields = split_csv_line(line);
    if (line_no == 1 && fields.size() >= 2 && fields[0] == "path" && fields[1] == "label") continue;  // header
    if (fields.size() < 2 || fields[0].empty() || fields[1].empty())
      fail(ErrorCode::bad_format, "\"" + csv.string() + "\" line " + std::to_string(line_no) +
           ": expected `path,label`, got \"" + line + "\"");
    fs::path p = fields[0];
    entries.push_back({p.is_absolute() ? p : csv.parent_path() / p, fields[0], fields[1]});
  }
  return entries;
}

}  // namespace

std::vector<std::size_t> Dataset::indices_of_class(const std::string& label) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (samples[i].label == label) out.push_back(i);
  return out;
}

Dataset load_dataset(const fs::path& source, const DatasetOptions& options) {
  std::error_code ec;
  if (!fs::exists(source, ec))
    fail(ErrorCode::io, "dataset \"" + source.string() + "\" not found. Hint: --data takes a folder with one "
         "subfolder per class, or a CSV of path,label rows.");
  Dataset ds;
  std::vector<Entry> entries;
  if (fs::is_directory(source, ec)) {
    ds.root = source;
    entries = list_folder(source);
  } else {
    ds.root = source.parent_path();
    entries = list_csv(source);
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return std::tie(a.label, a.relative) < std::tie(b.label, b.relative); });

  std::map<std::string, int> class_counts;
  for (const auto& e : entries) class_counts[e.label];  // every declared class, even if all its files fail
  for (const auto& [label, n] : class_counts) ds.classes.push_back(label);

  for (const auto& e : entries) {
    try {
      if (!is_valid_utf8(e.relative))
        fail(ErrorCode::bad_format, "\"" + e.file.string() + "\": the file name is not valid UTF-8, "
             "and osgan records file names in JSON. Hint: rename the file.");
      io::ImageFile file = io::read_image_file(e.file, options.read);
      const std::string sha = sha256_file_hex(e.file);
      for (auto& slice : file.slices) {
        Sample s;
        s.path = e.relative;
        s.id = slice.index < 0 ? e.relative : e.relative + "#" + std::to_string(slice.index);
        s.label = e.label;
        s.label_index = static_cast<int>(std::find(ds.classes.begin(), ds.classes.end(), e.label) - ds.classes.begin());
        s.slice_index = slice.index;
        s.file_sha256 = sha;
        s.info = file.info;
        s.image = preprocess_image(slice.image, options.preprocess);
        ds.samples.push_back(std::move(s));
        ++class_counts[e.label];
      }
    } catch (const Error& err) {
      if (options.strict) fail(err.code(), std::string(err.what()) + " (--strict)");
      log_warning("skipping " + e.file.string() + ": " + err.what());
      ds.skipped.push_back({escape_invalid_utf8(e.relative), escape_invalid_utf8(err.what())});
    }
  }

  if (ds.samples.empty())
    fail(ErrorCode::bad_format, "dataset \"" + source.string() + "\": no readable image found (" +
         std::to_string(entries.size()) + " files tried). Hint: one subfolder per class, with PNG, JPEG, BMP, TIFF, "
         "DICOM or NIfTI files in it.");
  for (const auto& [label, n] : class_counts)
    if (n == 0) fail(ErrorCode::bad_format, "dataset \"" + source.string() + "\": class \"" + label + "\" has no readable image");
  if (ds.classes.size() < 2)
    fail(ErrorCode::bad_format, "dataset \"" + source.string() + "\": found one class (\"" + ds.classes.front() +
         "\"); expected at least two. Hint: put each class in its own subfolder.");
  return ds;
}

}  // namespace osgan::data
