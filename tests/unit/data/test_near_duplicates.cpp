#include <gtest/gtest.h>

#include <set>

#include "osgan/data/near_duplicates.h"
#include "osgan/data/perceptual_hash.h"
#include "synthetic_images.h"

using namespace osgan;
using namespace osgan::test;

namespace {

// 20 unrelated originals, then planted copies of originals 0..5, one edit each.
std::vector<data::Sample> planted_set(std::vector<std::pair<std::string, std::string>>* expected) {
  std::vector<data::Sample> samples;
  std::vector<io::Image> originals;
  for (unsigned i = 0; i < 20; ++i) {
    originals.push_back(random_blob_image(100 + i));
    samples.push_back(make_sample(originals.back(), "orig" + std::to_string(i), "a", 0));
  }
  struct Copy { std::string name; io::Image image; int of; };
  std::vector<Copy> copies = {
      {"resized", data::resize_image(originals[0], 97, 97), 0},
      {"flipped", flip_lr(originals[1]), 1},
      {"rotated", rotate90(originals[2]), 2},
      {"cropped", data::resize_image(crop(originals[3], 12, 8, 10, 14), 160, 160), 3},
      {"contrast", gamma_contrast(originals[4], 0.6, 0.8), 4},
      {"flip_crop_contrast", gamma_contrast(flip_lr(crop(originals[5], 10, 10, 10, 10)), 1.4, 1.0), 5},
  };
  for (const auto& c : copies) {
    samples.push_back(make_sample(c.image, c.name, "a", 0));
    expected->push_back({"orig" + std::to_string(c.of), c.name});
  }
  return samples;
}

std::set<std::pair<std::string, std::string>> as_id_pairs(const std::vector<data::Sample>& samples,
                                                          const std::vector<data::NearDuplicatePair>& pairs) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& p : pairs) out.insert({samples[p.a].id, samples[p.b].id});
  return out;
}

}  // namespace

TEST(PerceptualHash, InvariantToResizeAndContrastButNotToContent) {
  const io::Image a = random_blob_image(1), b = random_blob_image(2);
  const auto ha = data::perceptual_hash(a);
  EXPECT_LE(data::hamming_distance(ha, data::perceptual_hash(data::resize_image(a, 77, 77))), 4);
  EXPECT_LE(data::hamming_distance(ha, data::perceptual_hash(gamma_contrast(a, 0.7, 0.9))), 8);
  EXPECT_GE(data::hamming_distance(ha, data::perceptual_hash(b)), 16);
  // The hash of the flipped image under the flip symmetry equals the original's hash.
  EXPECT_EQ(data::perceptual_hash(flip_lr(a), data::Dihedral{1}), ha);
}

TEST(NearDuplicates, FindsEveryPlantedCopyAndNoUnrelatedPair) {
  std::vector<std::pair<std::string, std::string>> expected;
  const auto samples = planted_set(&expected);
  const auto pairs = data::find_near_duplicates(samples, {});
  const auto found = as_id_pairs(samples, pairs);
  for (const auto& e : expected) EXPECT_TRUE(found.count(e)) << "missed planted copy " << e.first << " ~ " << e.second;
  EXPECT_EQ(found.size(), expected.size()) << "some unrelated images were paired";
  for (const auto& p : pairs) EXPECT_GE(p.correlation, 0.95);
}

TEST(NearDuplicates, AlignmentNamesTheEdit) {
  std::vector<std::pair<std::string, std::string>> expected;
  const auto samples = planted_set(&expected);
  for (const auto& p : data::find_near_duplicates(samples, {})) {
    const std::string& copy = samples[p.b].id;
    if (copy == "flipped") EXPECT_EQ(p.alignment.symmetry.name(), "flip_lr");
    if (copy == "rotated") EXPECT_TRUE(p.alignment.symmetry.name() == "rot90_cw" || p.alignment.symmetry.name() == "rot90_ccw");
    if (copy == "cropped") EXPECT_LT(p.alignment.zoom, 1.0) << "b, a crop of a, is a zoomed-in view of it";
  }
}

TEST(NearDuplicates, CandidateSearchMatchesExhaustiveOracle) {
  std::vector<std::pair<std::string, std::string>> expected;
  const auto samples = planted_set(&expected);
  data::NearDuplicateOptions fast, slow;
  fast.min_correlation = slow.min_correlation = 0.9;
  slow.exhaustive = true;
  EXPECT_EQ(as_id_pairs(samples, data::find_near_duplicates(samples, fast)),
            as_id_pairs(samples, data::find_near_duplicates(samples, slow)));
}

TEST(NearDuplicates, UnrelatedImagesScoreLow) {
  const auto a = data::compute_match_signature(random_blob_image(7)), b = data::compute_match_signature(random_blob_image(8));
  EXPECT_LT(data::best_correlation(a, b, {}), 0.9);
  EXPECT_NEAR(data::best_correlation(a, a, {}), 1.0, 1e-6);
}
