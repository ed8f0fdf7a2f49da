// k-means, the k rule, the mode features and the mode model (torch-free), on hand-made points and phantom slices.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include "mode_phantoms.h"
#include "osgan/core/error.h"
#include "osgan/data/kmeans.h"
#include "osgan/data/mode_features.h"
#include "osgan/data/mode_model.h"
#include "support/test_support.h"

using namespace osgan;
using namespace osgan::test;

namespace {

// `sizes[c]` points around centre c of a 2-D grid of centres 10 apart, jittered by at most 0.5 each way.
data::Points blobs(const std::vector<int>& sizes, std::vector<int>* truth, unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-0.5, 0.5);
  data::Points points;
  for (size_t c = 0; c < sizes.size(); ++c)
    for (int i = 0; i < sizes[c]; ++i) {
      points.push_back({10.0 * (c % 3) + u(rng), 10.0 * (c / 3) + u(rng)});
      truth->push_back(static_cast<int>(c));
    }
  return points;
}

// Whether two labellings of the same points make the same partition (up to renaming the clusters).
bool same_partition(const std::vector<int>& a, const std::vector<int>& b) {
  std::set<std::pair<int, int>> pairs;
  std::set<int> a_labels, b_labels;
  for (size_t i = 0; i < a.size(); ++i) pairs.insert({a[i], b[i]}), a_labels.insert(a[i]), b_labels.insert(b[i]);
  return pairs.size() == a_labels.size() && pairs.size() == b_labels.size();
}

int feature_index(const std::string& name) {
  const auto& names = data::mode_feature_names();
  return static_cast<int>(std::find(names.begin(), names.end(), name) - names.begin());
}

std::vector<io::Image> phantoms(PhantomKind kind, int n, unsigned first_seed) {
  std::vector<io::Image> images;
  for (int i = 0; i < n; ++i) images.push_back(brain_phantom(kind, first_seed + i));
  return images;
}

}  // namespace

TEST(KMeans, RecoversSeparableClustersLargestFirst) {
  std::vector<int> truth;
  const auto points = blobs({12, 30, 20}, &truth);
  const auto r = data::fit_kmeans(points, 3);
  EXPECT_TRUE(same_partition(r.assignment, truth));
  EXPECT_EQ(r.counts, (std::vector<int>{30, 20, 12}));  // canonical order: largest first
  EXPECT_EQ(r.assignment[12], 0);                      // the first point of the 30-point blob
  EXPECT_NEAR(r.centres[0][0], 10.0, 0.2);
  EXPECT_NEAR(r.centres[0][1], 0.0, 0.2);
  EXPECT_LT(r.inertia, 62 * 0.5);  // every point within 0.5 of its centre in each coordinate
}

TEST(KMeans, IsDeterministicAndNeedsEnoughPoints) {
  std::vector<int> truth;
  const auto points = blobs({9, 9, 9, 9}, &truth);
  const auto a = data::fit_kmeans(points, 4), b = data::fit_kmeans(points, 4);
  EXPECT_EQ(a.assignment, b.assignment);
  EXPECT_EQ(a.centres, b.centres);
  data::KMeansOptions other_seed;
  other_seed.seed = 99;
  EXPECT_TRUE(same_partition(data::fit_kmeans(points, 4, other_seed).assignment, truth));
  EXPECT_THROW(data::fit_kmeans(points, 40), Error);
  EXPECT_THROW(data::fit_kmeans({{1.0, 2.0}, {1.0}}, 1), Error);
  // Identical points: one cluster holds them all, the others stay empty, nothing breaks.
  const auto same = data::fit_kmeans(data::Points(6, {1.0, 1.0}), 3);
  EXPECT_EQ(same.counts[0], 6);
}

TEST(KMeans, SilhouetteOfTwoPairs) {
  // 1-D points 0, 1 | 10, 11. Point 0: a = 1, b = (10 + 11) / 2 = 10.5, s = 9.5 / 10.5; point 1: a = 1, b = 9.5,
  // s = 8.5 / 9.5; the other two mirror them.
  const data::Points points = {{0.0}, {1.0}, {10.0}, {11.0}};
  const double expected = (9.5 / 10.5 + 8.5 / 9.5) / 2;
  EXPECT_NEAR(data::mean_silhouette(points, {0, 0, 1, 1}, 2), expected, 1e-12);
  // 0 | 1, 10, 11: point 0 is alone (s = 0); point 1: a = (9 + 10) / 2, b = 1, s = (1 - 9.5) / 9.5; point 10:
  // a = (9 + 1) / 2 = 5, b = 10, s = 0.5; point 11: a = (10 + 1) / 2 = 5.5, b = 11, s = 0.5.
  EXPECT_NEAR(data::mean_silhouette(points, {0, 1, 1, 1}, 2), (0 + (1 - 9.5) / 9.5 + 0.5 + 0.5) / 4, 1e-12);
}

TEST(KRule, PicksTheTrueNumberOfBlobs) {
  const data::KRule from_two{2, 8, 0.02};
  for (int k = 2; k <= 5; ++k) {
    std::vector<int> truth, sizes;
    for (int c = 0; c < k; ++c) sizes.push_back(10 + 3 * c);
    const auto points = blobs(sizes, &truth, 11 + k);
    const auto choice = data::choose_k(points, from_two);
    EXPECT_EQ(choice.k, k) << "silhouettes from k = 2: " << ::testing::PrintToString(choice.silhouettes);
    EXPECT_TRUE(same_partition(choice.fit.assignment, truth));
  }
  // The candidates are cut to N - 1, and a range that leaves nothing is an error naming the counts.
  std::vector<int> truth;
  const auto four = blobs({2, 2}, &truth);
  EXPECT_EQ(data::choose_k(four, from_two).candidates, (std::vector<int>{2, 3}));
  try {
    data::choose_k({{0.0}, {1.0}}, from_two);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("2 points"), std::string::npos) << e.what();
  }
}

TEST(ModeFeatures, HeadMaskOfAnEllipse) {
  // A bright ellipse with semi-axes 0.4 (rows) and 0.3 (columns) of the side, with a dark ring inside it (a skull
  // that cuts the scalp off from the brain) and a dark hole (a ventricle): the mask is the whole ellipse.
  const int side = data::kModeFeatureSize;
  io::Image image(side, side, -1.f);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      const double dy = ((y + 0.5) / side - 0.5) / 0.4, dx = ((x + 0.5) / side - 0.5) / 0.3, r = std::hypot(dy, dx);
      if (r < 1) image.at(y, x) = (r > 0.85 && r < 0.9) || r < 0.1 ? -0.95f : 0.5f;
    }
  const auto head = data::find_head_mask(image);
  EXPECT_NEAR(head.area / double(side * side), M_PI * 0.4 * 0.3, 0.01);
  const float deepest = *std::max_element(head.depth.begin(), head.depth.end());
  EXPECT_NEAR(deepest, 0.3 * side, 1.5);  // the centre, one short semi-axis from the edge
  const auto f = data::compute_mode_features(image);
  ASSERT_EQ(f.size(), data::mode_feature_names().size());
  ASSERT_EQ(data::mode_feature_weights().size(), f.size());
  EXPECT_NEAR(f[feature_index("head_aspect_log")], std::log(0.4 / 0.3), 0.03);
  EXPECT_NEAR(f[feature_index("head_fill")], M_PI / 4, 0.02);  // an ellipse fills pi / 4 of its box
  EXPECT_GT(f[feature_index("mirror_overlap")], 0.97);           // an upright ellipse is its own mirror image
  EXPECT_NEAR(f[feature_index("top_bottom_width_log")], 0.0, 0.05);
  // A constant image has no head: all features 0.
  const auto flat = data::compute_mode_features(io::Image(64, 64, 0.3f));
  EXPECT_EQ(flat, std::vector<double>(f.size(), 0.0));
  EXPECT_THROW(data::compute_mode_features(io::Image(8, 8, 0.f)), Error);
}

TEST(ModeFeatures, LinePolarityAndScalpTellTheKindsApart) {
  const int polarity = feature_index("line_polarity"), scalp = feature_index("depth_0");
  const auto t2 = data::compute_mode_features(brain_phantom(PhantomKind::t2, 3));
  const auto t1 = data::compute_mode_features(brain_phantom(PhantomKind::t1, 3));
  const auto ct = data::compute_mode_features(brain_phantom(PhantomKind::ct, 3));
  EXPECT_GT(t2[polarity], 0.3);   // bright sulci: log(2) in theory, less where lines touch
  EXPECT_LT(t1[polarity], -0.3);  // dark sulci
  EXPECT_LT(ct[polarity], -0.3);
  EXPECT_GT(t1[scalp], t2[scalp]);  // bright scalp fat on T1
}

TEST(ModeModel, TwoKindsGiveTwoModesAndNewImagesFollowThem) {
  auto images = phantoms(PhantomKind::t2, 12, 100);
  for (auto& image : phantoms(PhantomKind::t1, 20, 200)) images.push_back(image);
  data::ModeFitOptions from_two;
  from_two.rule = {2, 8, 0.02};
  const auto model = data::fit_mode_model(images, from_two);
  ASSERT_EQ(model.k(), 2) << ::testing::PrintToString(model.silhouettes);
  EXPECT_EQ(model.counts, (std::vector<int>{20, 12}));
  EXPECT_NEAR(model.shares()[0], 20.0 / 32, 1e-12);
  EXPECT_EQ(data::assign_modes(model, phantoms(PhantomKind::t1, 5, 900)), std::vector<int>(5, 0));
  EXPECT_EQ(data::assign_modes(model, phantoms(PhantomKind::t2, 5, 900)), std::vector<int>(5, 1));
  // The default rule starts at k = 3 (mode_model.h) and still finds three kinds.
  for (auto& image : phantoms(PhantomKind::ct, 10, 300)) images.push_back(image);
  const auto three = data::fit_mode_model(images);
  EXPECT_EQ(three.k(), 3) << ::testing::PrintToString(three.silhouettes);
  EXPECT_EQ(three.counts, (std::vector<int>{20, 12, 10}));
  EXPECT_THROW(data::fit_mode_model(phantoms(PhantomKind::t1, 2, 1)), Error);
}

TEST(ModeModel, SharesAndCounts) {
  EXPECT_EQ(data::mode_counts({0, 2, 2, 1, 2}, 3), (std::vector<int>{1, 1, 3}));
  EXPECT_EQ(data::mode_shares({0, 2, 2, 1, 2}, 3), (std::vector<double>{0.2, 0.2, 0.6}));
  EXPECT_EQ(data::mode_shares({}, 2), (std::vector<double>{0.0, 0.0}));
  EXPECT_THROW(data::mode_counts({0, 3}, 3), Error);
}

TEST(ModeModel, JsonRoundTrip) {
  ScratchDir dir("mode_model");
  auto images = phantoms(PhantomKind::t2, 8, 10);
  for (auto& image : phantoms(PhantomKind::t1, 8, 20)) images.push_back(image);
  for (auto& image : phantoms(PhantomKind::ct, 8, 30)) images.push_back(image);
  const auto model = data::fit_mode_model(images);
  data::save_mode_model(dir / "modes.json", model);
  const auto loaded = data::load_mode_model(dir / "modes.json");
  EXPECT_EQ(loaded.k(), model.k());
  EXPECT_EQ(loaded.feature_names, model.feature_names);
  EXPECT_EQ(loaded.centre, model.centre);
  EXPECT_EQ(loaded.scale, model.scale);
  EXPECT_EQ(loaded.weights, model.weights);
  EXPECT_EQ(loaded.centres, model.centres);
  EXPECT_EQ(loaded.counts, model.counts);
  EXPECT_EQ(loaded.silhouettes, model.silhouettes);
  EXPECT_EQ(loaded.k_rule, model.k_rule);
  EXPECT_EQ(data::assign_modes(loaded, images), data::assign_modes(model, images));
}

TEST(ModeModel, BadJsonIsOneLineNamingTheFile) {
  ScratchDir dir("mode_model_bad");
  auto expect_error = [&](const std::string& name, const std::string& text, const std::string& expected) {
    const auto path = dir / name;
    std::ofstream(path) << text;
    try {
      data::load_mode_model(path);
      FAIL() << name << ": expected an error";
    } catch (const Error& e) {
      const std::string message = e.what();
      EXPECT_EQ(e.code(), ErrorCode::bad_format) << message;
      EXPECT_NE(message.find(path.string()), std::string::npos) << message;
      EXPECT_NE(message.find(expected), std::string::npos) << message;
      EXPECT_NE(message.find("Hint"), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  };
  expect_error("truncated.json", "{\"format\": \"osgan-mode-model\",\n \"version\": ", "not valid JSON");
  expect_error("array.json", "[1, 2]", "JSON object");
  expect_error("other.json", "{\"format\": \"osgan-audit\", \"version\": 1}", "osgan-mode-model");
  expect_error("newer.json", "{\"format\": \"osgan-mode-model\", \"version\": 7}", "version 1");
  auto images = phantoms(PhantomKind::t2, 6, 10);
  for (auto& image : phantoms(PhantomKind::t1, 6, 20)) images.push_back(image);
  auto j = data::mode_model_to_json(data::fit_mode_model(images));
  j["features"][0] = "head_volume";
  expect_error("features.json", j.dump(), "other features");
  j = data::mode_model_to_json(data::fit_mode_model(images));
  j["centres"][0].erase(0);
  expect_error("sizes.json", j.dump(), "centres");
  EXPECT_THROW(data::load_mode_model(dir / "missing.json"), Error);
}
