// One GAN per mode of a class: the split of a class's training side into its modes, and the modes file.
#include <algorithm>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "../data/mode_phantoms.h"
#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/pipeline/mode_gans.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using osgan::test::PhantomKind;

namespace {

// A dataset of phantoms: class "tumor" holds 8 T1, 6 T2 and 4 CT slices (every third of them on the validation side),
// class "normal" 6 T2 slices; ids "<class>/<kind><i>".
struct PhantomSet {
  osgan::data::Dataset dataset;
  osgan::data::Split split;
};

PhantomSet phantom_set() {
  PhantomSet p;
  p.dataset.classes = {"normal", "tumor"};
  auto add = [&](const std::string& cls, PhantomKind kind, const std::string& name, int n, unsigned seed) {
    for (int i = 0; i < n; ++i) {
      osgan::data::Sample s;
      s.id = cls + "/" + name + std::to_string(i);
      s.label = cls;
      s.label_index = cls == "tumor";
      s.image = osgan::test::brain_phantom(kind, seed + static_cast<unsigned>(i));
      p.split.side_of[s.id] = i % 3 == 2 ? osgan::data::Side::val : osgan::data::Side::train;
      p.dataset.samples.push_back(s);
    }
  };
  add("normal", PhantomKind::t2, "t2_", 6, 500);
  add("tumor", PhantomKind::t1, "t1_", 8, 100);
  add("tumor", PhantomKind::t2, "t2_", 6, 200);
  add("tumor", PhantomKind::ct, "ct_", 4, 300);
  return p;
}

}  // namespace

TEST(ModeGans, TheModesPartitionTheClasssTrainingSideByKind) {
  const auto p = phantom_set();
  const auto modes = osgan::split_class_into_modes(p.dataset, p.split, "tumor");
  ASSERT_EQ(modes.members.size(), static_cast<std::size_t>(modes.model.k()));
  ASSERT_GE(modes.model.k(), 3);
  std::multiset<std::string> all;
  for (const auto& members : modes.members) {
    ASSERT_FALSE(members.empty());
    // One kind per mode: a mode that mixed T1 with T2 would hand one GAN two contrasts.
    const auto kind = members.front().substr(0, members.front().find('_'));
    for (const auto& id : members) EXPECT_EQ(id.substr(0, id.find('_')), kind) << id;
    all.insert(members.begin(), members.end());
  }
  // Every training slice of the class once; no validation slice, no other class.
  std::multiset<std::string> expected;
  for (const auto& s : p.dataset.samples)
    if (s.label == "tumor" && p.split.side_of.at(s.id) == osgan::data::Side::train) expected.insert(s.id);
  EXPECT_EQ(all, expected);
  double total = 0;
  for (const double share : modes.shares()) total += share;
  EXPECT_NEAR(total, 1.0, 1e-12);
  // Too few slices to fit modes: an error that names the class and the way out.
  auto few = p;
  for (auto& s : few.dataset.samples) if (s.label == "normal" && s.id != "normal/t2_0" && s.id != "normal/t2_1") few.split.side_of[s.id] = osgan::data::Side::val;
  try {
    osgan::split_class_into_modes(few.dataset, few.split, "normal");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    EXPECT_NE(std::string(e.what()).find("class \"normal\" has 2 training slices"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("gan.per_mode: false"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("gan.mode_condition: false"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("gan.mode_balance: 0"), std::string::npos) << e.what();
  }
}

TEST(ModeGans, TheModesFileRoundTripsAndABadOneIsNamed) {
  osgan::test::ScratchDir dir("mode_gans");
  const auto p = phantom_set();
  const auto modes = osgan::split_class_into_modes(p.dataset, p.split, "tumor");
  osgan::save_class_modes(dir / "modes.json", modes);
  const auto back = osgan::load_class_modes(dir / "modes.json");
  EXPECT_EQ(back.class_name, "tumor");
  EXPECT_EQ(back.members, modes.members);
  EXPECT_EQ(back.model.k(), modes.model.k());
  EXPECT_EQ(osgan::mode_run_name(2), "mode_2");

  const auto expect_refused = [&](const std::string& text, const std::string& says) {
    osgan::write_text_atomically(dir / "bad.json", text);
    try {
      osgan::load_class_modes(dir / "bad.json");
      ADD_FAILURE() << "accepted: " << text.substr(0, 80);
    } catch (const osgan::Error& e) {
      EXPECT_NE(std::string(e.what()).find((dir / "bad.json").string()), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  };
  expect_refused("{", "not valid JSON");
  expect_refused("{\"format\": \"osgan-mode-model\", \"version\": 1}", "expected an osgan-class-modes file");
  expect_refused("{\"format\": 7, \"version\": 1}", "expected an osgan-class-modes file");
  expect_refused("{\"format\": \"osgan-class-modes\", \"version\": [1]}", "expected an osgan-class-modes file");
  expect_refused("[1, 2]", "expected an osgan-class-modes file");
  auto j = nlohmann::json::parse(osgan::read_text_file(dir / "modes.json"));
  j["members"].erase(0);
  expect_refused(j.dump(), "member lists for a model of");
  j = nlohmann::json::parse(osgan::read_text_file(dir / "modes.json"));
  j["members"][0] = nlohmann::json::array();
  expect_refused(j.dump(), "mode 0 has no members");
  j.erase("model");
  expect_refused(j.dump(), "model");
}
