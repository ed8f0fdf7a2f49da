// Leakage-safe stratified train/validation split: union-find groups (files, duplicates) placed whole, then
// singles fill the exact stratified counts. Saved as versioned JSON ("osgan-split", version 1).
#include "osgan/data/split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/one_line.h"

namespace osgan::data {
namespace {

constexpr const char* kFormat = "osgan-split";
constexpr int kVersion = 1;

struct UnionFind {
  std::vector<std::size_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t find(std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }
  void unite(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);  // the smallest index is the root: order-independent
  }
};

// mt19937_64 is fully specified by the standard; std::shuffle and the distributions are not, so draw by hand.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

template <typename T>
void shuffle_portable(std::vector<T>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

[[noreturn]] void malformed(const std::filesystem::path& path, const std::string& what) {
  // `what` may quote ids from the file, which JSON escapes can fill with line breaks.
  fail(ErrorCode::bad_format, "split file \"" + one_line(path.string()) + "\": " + one_line(what) +
       ". Hint: make it again with `osgan split --data DIR --out FILE`.");
}

}  // namespace

const char* to_string(Side side) { return side == Side::train ? "train" : "val"; }

Split make_split(const Dataset& ds, const SplitOptions& options,
                 const std::vector<std::pair<std::string, std::string>>& linked) {
  if (!(options.val_fraction > 0.0 && options.val_fraction < 1.0))
    fail(ErrorCode::invalid_argument, "validation fraction: expected a value in (0, 1), got " +
         std::to_string(options.val_fraction));
  const std::size_t n = ds.samples.size();
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < n; ++i) index_of[ds.samples[i].id] = i;

  // Groups: slices of one file, and linked ids.
  UnionFind uf(n);
  std::map<std::string, std::size_t> first_of_file;
  for (std::size_t i = 0; i < n; ++i) {
    auto [it, inserted] = first_of_file.emplace(ds.samples[i].path, i);
    if (!inserted) uf.unite(it->second, i);
  }
  for (const auto& [a, b] : linked) {
    auto ia = index_of.find(a), ib = index_of.find(b);
    if (ia == index_of.end() || ib == index_of.end())
      fail(ErrorCode::invalid_argument, "make_split: linked sample \"" + (ia == index_of.end() ? a : b) +
           "\" is not in the dataset");
    uf.unite(ia->second, ib->second);
  }
  std::map<std::size_t, std::vector<std::size_t>> members_of;
  for (std::size_t i = 0; i < n; ++i) members_of[uf.find(i)].push_back(i);

  const std::size_t n_classes = ds.classes.size();
  std::vector<int> total(n_classes, 0), target(n_classes, 0), in_val(n_classes, 0);
  for (const auto& s : ds.samples) ++total[s.label_index];
  for (std::size_t c = 0; c < n_classes; ++c)
    target[c] = static_cast<int>(std::lround(total[c] * options.val_fraction));

  std::vector<std::vector<std::size_t>> groups, singles;
  for (auto& [root, members] : members_of) (members.size() > 1 ? groups : singles).push_back(members);
  std::mt19937_64 rng(options.seed);
  shuffle_portable(groups, rng);
  shuffle_portable(singles, rng);

  Split split;
  split.seed = options.seed;
  split.val_fraction = options.val_fraction;
  auto fits = [&](const std::vector<std::size_t>& members) {
    std::vector<int> add(n_classes, 0);
    for (std::size_t i : members) ++add[ds.samples[i].label_index];
    for (std::size_t c = 0; c < n_classes; ++c)
      if (in_val[c] + add[c] > target[c]) return false;
    return true;
  };
  auto place = [&](const std::vector<std::size_t>& members, Side side) {
    for (std::size_t i : members) {
      split.side_of[ds.samples[i].id] = side;
      if (side == Side::val) ++in_val[ds.samples[i].label_index];
    }
  };
  for (const auto& g : groups) {
    const bool to_val = uniform01(rng) < options.val_fraction && fits(g);
    place(g, to_val ? Side::val : Side::train);
    std::vector<std::string> ids;
    for (std::size_t i : g) ids.push_back(ds.samples[i].id);
    split.groups.push_back(ids);
  }
  for (const auto& s : singles) place(s, fits(s) ? Side::val : Side::train);

  for (const auto& s : ds.samples) split.label_of[s.id] = s.label;
  std::size_t grouped = 0;
  for (const auto& g : groups) grouped += g.size();
  split.notes.push_back(std::to_string(groups.size()) + " group(s) of " + std::to_string(grouped) +
                        " samples kept on one side (same file, or exact/near duplicates)");
  for (std::size_t c = 0; c < n_classes; ++c) {
    if (in_val[c] == target[c]) continue;
    split.notes.push_back("class \"" + ds.classes[c] + "\": " + std::to_string(in_val[c]) + " in validation instead of " +
                          std::to_string(target[c]) + " (round(" + std::to_string(total[c]) + " x " +
                          std::to_string(options.val_fraction) + ")), because groups could not be split");
  }
  return split;
}

void write_split(const std::filesystem::path& path, const Split& split) {
  nlohmann::json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["seed"] = split.seed;
  j["val_fraction"] = split.val_fraction;
  std::map<std::string, std::map<std::string, int>> counts;  // side -> label -> n
  j["samples"] = nlohmann::json::array();
  for (const auto& [id, side] : split.side_of) {
    nlohmann::json s = {{"id", id}, {"side", to_string(side)}};
    auto it = split.label_of.find(id);
    if (it != split.label_of.end()) {
      s["label"] = it->second;
      ++counts[to_string(side)][it->second];
    }
    j["samples"].push_back(s);
  }
  j["counts"] = counts;
  j["groups"] = split.groups;
  j["notes"] = split.notes;
  write_text_atomically(path, j.dump(2) + "\n");
}

Split read_split(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    malformed(path, std::string("not valid JSON (") + e.what() + ")");
  }
  // (json::value would throw its own type_error for a "format" that is not a string.)
  if (!j.is_object() || !j.contains("format") || !j["format"].is_string() || j["format"] != kFormat)
    malformed(path, std::string("expected \"format\": \"") + kFormat + "\"");
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() != kVersion)
    malformed(path, "expected version " + std::to_string(kVersion) + ", got " + (j.contains("version") ? j["version"].dump() : "none"));
  if (!j.contains("seed") || !j["seed"].is_number_unsigned()) malformed(path, "\"seed\" must be a non-negative integer");
  if (!j.contains("val_fraction") || !j["val_fraction"].is_number()) malformed(path, "\"val_fraction\" must be a number");
  Split split;
  split.seed = j["seed"].get<std::uint64_t>();
  split.val_fraction = j["val_fraction"].get<double>();
  if (!(split.val_fraction > 0 && split.val_fraction < 1))
    malformed(path, "\"val_fraction\" must be in (0, 1), got " + j["val_fraction"].dump());
  if (!j.contains("samples") || !j["samples"].is_array() || j["samples"].empty())
    malformed(path, "\"samples\" must be a non-empty array");
  for (const auto& s : j["samples"]) {
    if (!s.is_object() || !s.contains("id") || !s["id"].is_string() || !s.contains("side") || !s["side"].is_string())
      malformed(path, "each sample must be an object with string \"id\" and \"side\", got " + s.dump());
    const std::string id = s["id"], side = s["side"];
    if (side != "train" && side != "val") malformed(path, "sample \"" + id + "\": side must be \"train\" or \"val\", got \"" + side + "\"");
    if (split.side_of.count(id)) malformed(path, "sample \"" + id + "\" is listed twice");
    split.side_of[id] = side == "train" ? Side::train : Side::val;
    if (s.contains("label") && s["label"].is_string()) split.label_of[id] = s["label"];
  }
  if (j.contains("groups")) {
    if (!j["groups"].is_array()) malformed(path, "\"groups\" must be an array of arrays of ids");
    for (const auto& g : j["groups"]) {
      if (!g.is_array()) malformed(path, "\"groups\" must be an array of arrays of ids");
      std::vector<std::string> ids;
      std::set<Side> sides;
      for (const auto& id : g) {
        if (!id.is_string() || !split.side_of.count(id.get<std::string>()))
          malformed(path, "group member " + id.dump() + " is not a listed sample");
        ids.push_back(id);
        sides.insert(split.side_of[id]);
      }
      if (sides.size() > 1) malformed(path, "group " + g.dump() + " straddles train and validation");
      split.groups.push_back(ids);
    }
  }
  if (j.contains("notes") && j["notes"].is_array())
    for (const auto& note : j["notes"])
      if (note.is_string()) split.notes.push_back(note);
  return split;
}

std::vector<std::size_t> select_samples(const Dataset& ds, const Split& split, Side side, const std::string& label) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < ds.samples.size(); ++i) {
    const Sample& s = ds.samples[i];
    auto it = split.side_of.find(s.id);
    if (it == split.side_of.end())
      fail(ErrorCode::invalid_argument, "sample \"" + s.id + "\" of dataset \"" + ds.root.string() +
           "\" is not in the split. Hint: the split was made for another dataset; make a new one with `osgan split`.");
    if (it->second == side && (label.empty() || s.label == label)) out.push_back(i);
  }
  return out;
}

}  // namespace osgan::data
