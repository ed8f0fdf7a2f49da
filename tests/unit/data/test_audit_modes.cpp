// The audit's modes: each class's share of each mode, and the warning for a sizeable mode that is one class.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "mode_phantoms.h"
#include "osgan/data/audit.h"
#include "support/test_support.h"
#include "synthetic_images.h"

using namespace osgan;
using namespace osgan::test;

namespace {

io::Image to_8bit(const io::Image& image) {  // [-1, 1] -> [0, 255], as a file would hold it
  io::Image out = image;
  for (float& v : out.pixels) v = (v + 1.f) * 127.5f;
  return out;
}

void add(data::Dataset& ds, PhantomKind kind, int n, unsigned first_seed, const std::string& label, int index) {
  for (int i = 0; i < n; ++i) {
    const std::string id = label + "/" + std::to_string(first_seed + i);
    ds.samples.push_back(make_sample(to_8bit(brain_phantom(kind, first_seed + i)), id, label, index));
  }
}

data::AuditOptions modes_only() {  // the rest of the audit has its own tests
  data::AuditOptions o;
  o.outliers.min_class_size = 1000;
  return o;
}

}  // namespace

TEST(AuditModes, AModeOfOneClassIsAShortcut) {
  // normal: 10 CT-like + 20 T2-like; tumor: 20 T2-like + 20 T1-like. The CT mode (10 of 70 images) is all normal.
  data::Dataset ds;
  ds.root = "phantoms";
  ds.classes = {"normal", "tumor"};
  add(ds, PhantomKind::ct, 10, 100, "normal", 0);
  add(ds, PhantomKind::t2, 20, 200, "normal", 0);
  add(ds, PhantomKind::t2, 20, 300, "tumor", 1);
  add(ds, PhantomKind::t1, 20, 400, "tumor", 1);
  const auto r = data::audit_dataset(ds, modes_only());
  ASSERT_EQ(r.modes.model.k(), 3) << ::testing::PrintToString(r.modes.model.silhouettes);
  // Modes by size: T2 (40: 20 + 20), T1 (20 tumour), CT (10 normal).
  ASSERT_EQ(r.modes.modes.size(), 3u);
  EXPECT_EQ(r.modes.modes[0].count_per_class, (std::map<std::string, int>{{"normal", 20}, {"tumor", 20}}));
  EXPECT_EQ(r.modes.modes[1].count_per_class, (std::map<std::string, int>{{"normal", 0}, {"tumor", 20}}));
  EXPECT_EQ(r.modes.modes[2].count_per_class, (std::map<std::string, int>{{"normal", 10}, {"tumor", 0}}));
  EXPECT_FALSE(r.modes.modes[0].single_class);
  EXPECT_TRUE(r.modes.modes[1].single_class);
  EXPECT_TRUE(r.modes.modes[2].single_class);
  EXPECT_EQ(r.modes.share_per_class.at("normal"), (std::vector<double>{20.0 / 30, 0.0, 10.0 / 30}));
  EXPECT_EQ(r.modes.share_per_class.at("tumor"), (std::vector<double>{0.5, 0.5, 0.0}));
  ASSERT_EQ(r.modes.warnings.size(), 2u);
  EXPECT_EQ(r.modes.warnings[1], "mode 2 (10 images, 14% of all) is 100% normal: a classifier can learn the mode "
                                 "instead of the tumour");

  const auto j = data::audit_to_json(r);
  EXPECT_EQ(j["modes"]["k"], 3);
  EXPECT_EQ(j["modes"]["modes"][2]["main_class"], "normal");
  EXPECT_EQ(j["modes"]["warnings"].size(), 2u);
  const auto summary = data::format_audit_summary(r);
  EXPECT_NE(summary.find("!!! mode 2 (10 images"), std::string::npos) << summary;
}

TEST(AuditModes, SmallModesAndMixedModesDoNotWarn) {
  data::Dataset ds;
  ds.root = "phantoms";
  ds.classes = {"a", "b"};
  add(ds, PhantomKind::t2, 15, 10, "a", 0);
  add(ds, PhantomKind::t1, 15, 20, "a", 0);
  add(ds, PhantomKind::t2, 15, 30, "b", 1);
  add(ds, PhantomKind::t1, 15, 40, "b", 1);
  auto options = modes_only();
  options.mode_fit.rule = {2, 8, 0.02};
  const auto r = data::audit_dataset(ds, options);
  EXPECT_EQ(r.modes.model.k(), 2);
  EXPECT_TRUE(r.modes.warnings.empty());
  EXPECT_NE(data::format_audit_summary(r).find("no mode of >= 5% of the images is >= 90% one class"), std::string::npos);
  // Too few images, or modes turned off: no modes, and the JSON says null.
  options.modes = false;
  EXPECT_TRUE(data::audit_to_json(data::audit_dataset(ds, options))["modes"].is_null());
}

TEST(AuditModes, RealDataModeSharesAddUp) {
  const auto root = real_data_dir();
  if (root.empty()) GTEST_SKIP() << "real data not present";
  const auto ds = data::load_dataset(root);
  const auto r = data::audit_dataset(ds, modes_only());
  ASSERT_GE(r.modes.model.k(), 3);
  for (const auto& [label, shares] : r.modes.share_per_class) {
    double total = 0;
    for (double s : shares) total += s;
    EXPECT_NEAR(total, 1.0, 1e-9) << label;
  }
  int images = 0;
  for (const auto& row : r.modes.modes) images += row.count;
  EXPECT_EQ(images, static_cast<int>(ds.samples.size()));
}
