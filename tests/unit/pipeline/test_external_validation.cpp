#include <gtest/gtest.h>

#include <functional>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/pipeline/external_validation.h"
#include "support/test_support.h"

using osgan::test::ScratchDir;
using osgan::test::write_tiny_png;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const osgan::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ExternalValidation, SetIsNamedByItsFolderOrCsvStem) {
  EXPECT_EQ(osgan::external_set_name("../data/brain_mri_images_navoneel"), "brain_mri_images_navoneel");
  EXPECT_EQ(osgan::external_set_name("../data/site_b/"), "site_b");
  ScratchDir dir("ext-name");
  osgan::write_text_atomically(dir / "site_c.csv", "path,label\n");
  EXPECT_EQ(osgan::external_set_name(dir / "site_c.csv"), "site_c");
}

TEST(ExternalValidation, CheckRefusesAMissingFolderAndClassesOtherThanTheStudys) {
  ScratchDir dir("ext-check");
  for (const char* cls : {"normal", "tumor"}) write_tiny_png(dir / "good" / cls / "a.png");
  EXPECT_NO_THROW(osgan::load_external_set(dir / "good", "tumor", "normal", {}));

  auto missing = error_of([&] { osgan::load_external_set(dir / "nowhere", "tumor", "normal", {}); });
  EXPECT_NE(missing.find("nowhere"), std::string::npos) << missing;
  EXPECT_NE(missing.find("not found"), std::string::npos) << missing;

  for (const char* cls : {"no", "yes"}) write_tiny_png(dir / "renamed" / cls / "a.png");
  auto renamed = error_of([&] { osgan::load_external_set(dir / "renamed", "tumor", "normal", {}); });
  EXPECT_NE(renamed.find("expected the classes normal and tumor"), std::string::npos) << renamed;
  EXPECT_NE(renamed.find("found no, yes"), std::string::npos) << renamed;

  write_tiny_png(dir / "one" / "tumor" / "a.png");
  auto one = error_of([&] { osgan::load_external_set(dir / "one", "tumor", "normal", {}); });
  EXPECT_NE(one.find("one class (\"tumor\")"), std::string::npos) << one;  // the dataset loader's own words
  EXPECT_NE(one.find("external set: "), std::string::npos) << one;
}

TEST(ExternalValidation, ListingAStudyWithoutItsModelsSaysHowToRedoIt) {
  ScratchDir dir("ext-list");
  auto none = error_of([&] { osgan::list_study_models(dir.path()); });
  EXPECT_NE(none.find("study.json: not found"), std::string::npos) << none;
  osgan::write_text_atomically(dir / "study.json",
                               R"({"seeds": [1, 2], "classification": {"real": {"seeds": [1, 2]}}})");
  auto no_models = error_of([&] { osgan::list_study_models(dir.path()); });
  EXPECT_NE(no_models.find("real/seed_1/model/classifier.json"), std::string::npos) << no_models;
  EXPECT_NE(no_models.find("--force study"), std::string::npos) << no_models;
  for (int seed : {1, 2}) {
    const auto folder = dir / "real" / ("seed_" + std::to_string(seed)) / "model";
    std::filesystem::create_directories(folder);
    osgan::write_text_atomically(folder / "classifier.json", "{}");
  }
  const auto models = osgan::list_study_models(dir.path());
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[1].protocol, "real");
  EXPECT_EQ(models[1].seed, 2u);
}
