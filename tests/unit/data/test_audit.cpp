#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "osgan/core/atomic_file.h"
#include "osgan/data/audit.h"
#include "support/test_support.h"
#include "synthetic_images.h"

using namespace osgan;
using namespace osgan::test;

namespace {

bool has_pair(const data::AuditReport& r, const std::string& a, const std::string& b) {
  for (const auto& d : r.near_duplicate_pairs)
    if ((d.id_a == a && d.id_b == b) || (d.id_a == b && d.id_b == a)) return true;
  return false;
}

// The real data, loaded and audited once for all tests of this file.
const std::pair<data::Dataset, data::AuditReport>* real_audit() {
  static std::unique_ptr<std::pair<data::Dataset, data::AuditReport>> cached;
  const auto root = real_data_dir();
  if (root.empty()) return nullptr;
  if (!cached) {
    auto ds = data::load_dataset(root);
    auto report = data::audit_dataset(ds, {});
    cached = std::make_unique<std::pair<data::Dataset, data::AuditReport>>(std::move(ds), std::move(report));
  }
  return cached.get();
}

}  // namespace

TEST(Audit, ExactDuplicatesNearDuplicatesAndLabelConflictsOnGeneratedData) {
  data::Dataset ds;
  ds.root = "generated";
  ds.classes = {"a", "b"};
  for (unsigned i = 0; i < 12; ++i) ds.samples.push_back(make_sample(random_blob_image(300 + i), "a/" + std::to_string(i), "a", 0));
  for (unsigned i = 0; i < 12; ++i) ds.samples.push_back(make_sample(random_blob_image(400 + i), "b/" + std::to_string(i), "b", 1));
  auto exact = ds.samples[0];  // same bytes as a/0, in the same class
  exact.id = exact.path = "a/0-copy";
  ds.samples.push_back(exact);
  // A flipped, contrast-changed copy of a/3 filed under "b": a label conflict.
  ds.samples.push_back(make_sample(gamma_contrast(flip_lr(random_blob_image(303)), 0.8, 1.0), "b/conflict", "b", 1));

  const auto r = data::audit_dataset(ds, {});
  ASSERT_EQ(r.exact_duplicates.size(), 1u);
  EXPECT_EQ(std::set<std::string>(r.exact_duplicates[0].begin(), r.exact_duplicates[0].end()),
            (std::set<std::string>{"a/0", "a/0-copy"}));
  ASSERT_EQ(r.near_duplicate_pairs.size(), 1u) << "only the planted copy; the exact copy is reported once, as exact";
  EXPECT_TRUE(has_pair(r, "a/3", "b/conflict"));
  ASSERT_EQ(r.label_conflicts.size(), 1u);
  EXPECT_EQ(r.label_conflicts[0].transform, "flip_lr");
  EXPECT_EQ(r.count_per_class.at("a"), 13);
  EXPECT_EQ(r.count_per_class.at("b"), 13);

  ScratchDir dir("audit");
  data::write_audit_json(dir / "audit.json", r);
  const auto j = nlohmann::json::parse(read_text_file(dir / "audit.json"));
  EXPECT_EQ(j["format"], "osgan-audit");
  EXPECT_EQ(j["near_duplicate_pairs"].size(), 1u);
  EXPECT_EQ(j["label_conflicts"].size(), 1u);
  EXPECT_EQ(j["exact_duplicates"].size(), 1u);
  EXPECT_EQ(j["formats"].size(), 1u);
  EXPECT_EQ(j["formats"][0]["count_per_class"]["b"], 13);
  EXPECT_NE(data::format_audit_summary(r).find("LABEL CONFLICTS"), std::string::npos);
}

TEST(Audit, OutlierStatisticsFlagADifferentKindOfImage) {
  // 30 blob images and 2 near-constant images with a bright ring (a CT-like skull): only those are flagged.
  data::Dataset ds;
  ds.root = "generated";
  ds.classes = {"a"};
  for (unsigned i = 0; i < 30; ++i) ds.samples.push_back(make_sample(random_blob_image(500 + i), "a/" + std::to_string(i), "a", 0));
  for (int k = 0; k < 2; ++k) {
    io::Image ring(160, 160, 0.f);
    for (int y = 0; y < 160; ++y)
      for (int x = 0; x < 160; ++x) {
        const double r = std::hypot(y - 80.0, x - 80.0);
        ring.at(y, x) = r < 60 ? 90.f + k : r < 68 ? 255.f : 0.f;
      }
    ds.samples.push_back(make_sample(ring, "a/ring" + std::to_string(k), "a", 0));
  }
  const auto outliers = data::find_outliers(ds, {});
  std::set<std::string> flagged;
  for (const auto& o : outliers) flagged.insert(ds.samples[o.index].id);
  EXPECT_TRUE(flagged.count("a/ring0"));
  EXPECT_TRUE(flagged.count("a/ring1"));
  EXPECT_LE(flagged.size(), 4u) << "too many ordinary images flagged";
}

TEST(Audit, RobustZScores) {
  const auto z = data::robust_z_scores({1, 2, 3, 4, 100});
  EXPECT_NEAR(z[2], 0.0, 1e-12);                  // the median
  EXPECT_NEAR(z[3], 1.0 / 1.4826, 1e-9);          // MAD = 1
  EXPECT_GT(z[4], 50.0);
  EXPECT_EQ(data::robust_z_scores({5, 5, 5}), std::vector<double>(3, 0.0));
}

TEST(Audit, RealDataListedNearDuplicatePairsAreFound) {
  const auto* real = real_audit();
  if (!real) GTEST_SKIP() << "real data not present";
  const auto& r = real->second;
  const std::vector<std::pair<std::string, std::string>> listed = {
      {"tumor/Tumor (135).jpg", "tumor/Tumor (150).jpg"}, {"normal/Normal (24).jpg", "normal/Normal (30).jpg"},
      {"normal/Normal (116).jpg", "normal/Normal (54).jpg"}, {"tumor/Tumor (198).jpg", "tumor/Tumor (204).jpg"},
      {"tumor/Tumor (92).jpg", "tumor/Tumor (98).jpg"}};
  for (const auto& [a, b] : listed) EXPECT_TRUE(has_pair(r, a, b)) << a << " ~ " << b;
  // README: 12 pairs above 0.98 and 33 above 0.95 by plain NCC; with symmetries and alignment we find at least as many.
  int strong = 0;
  for (const auto& d : r.near_duplicate_pairs) strong += d.correlation >= 0.98;
  EXPECT_GE(strong, 12);
  EXPECT_GE(r.near_duplicate_pairs.size(), 33u);
  EXPECT_TRUE(r.label_conflicts.empty()) << "README: all near-duplicates are within one class";
  EXPECT_TRUE(r.exact_duplicates.empty());
}

TEST(Audit, RealDataCtSlicesAmongNormalAreFlagged) {
  const auto* real = real_audit();
  if (!real) GTEST_SKIP() << "real data not present";
  std::set<std::string> flagged;
  for (const auto& o : real->second.outliers) flagged.insert(o.id);
  for (int n : {9, 23, 24, 25, 27, 30, 40, 42, 61, 94})
    EXPECT_TRUE(flagged.count("normal/Normal (" + std::to_string(n) + ").jpg")) << "CT slice Normal (" << n << ") not flagged";
  int flagged_normal = 0;
  for (const auto& o : real->second.outliers) flagged_normal += o.label == "normal";
  EXPECT_LE(flagged_normal, 15) << "outliers among normal should be mostly the 10 CT slices";
}
