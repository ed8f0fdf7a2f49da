// The stage graph that `osgan pipeline` runs and `--plan` hands to a workflow engine.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "osgan/core/error.h"
#include "osgan/pipeline/stage_plan.h"

namespace {

osgan::StagePlanInputs two_classes(bool anatomy) {
  osgan::StagePlanInputs in;
  in.classes = {"normal", "tumor"};
  in.anatomy = anatomy;
  in.protocols = {"real", "synthetic"};
  in.seeds = {1, 2};
  in.external_sets = {"site_b"};
  return in;
}

std::vector<std::string> names_of(const std::vector<osgan::PlannedStage>& plan) {
  std::vector<std::string> names;
  for (const auto& s : plan) names.push_back(s.name);
  return names;
}

TEST(StagePlan, ListsEveryStageOnceAfterWhatItNeeds) {
  const auto plan = osgan::plan_pipeline_stages(two_classes(true));
  const std::vector<std::string> expected = {
      "audit", "split", "gan-_anatomy", "gan-normal", "gan-tumor", "generate-normal", "generate-tumor",
      "study-real-seed1", "study-real-seed2", "study-synthetic-seed1", "study-synthetic-seed2", "study",
      "external-site_b", "image-quality-normal", "image-quality-tumor", "report"};
  EXPECT_EQ(names_of(plan), expected);
  // A topological order: every need comes earlier in the list.
  for (std::size_t i = 0; i < plan.size(); ++i)
    for (const auto& need : plan[i].needs) {
      const auto at = std::find(expected.begin(), expected.end(), need) - expected.begin();
      EXPECT_LT(static_cast<std::size_t>(at), i) << plan[i].name << " needs " << need;
    }
}

TEST(StagePlan, NeedsFollowTheData) {
  const auto plan = osgan::plan_pipeline_stages(two_classes(true));
  auto needs = [&](const std::string& name) { return osgan::find_planned_stage(plan, name).needs; };
  EXPECT_EQ(needs("gan-tumor"), (std::vector<std::string>{"split", "gan-_anatomy"}));
  EXPECT_EQ(needs("generate-tumor"), (std::vector<std::string>{"gan-tumor"}));
  // A real-only classifier waits for no GAN; one trained on generated images waits for both classes'.
  EXPECT_EQ(needs("study-real-seed2"), (std::vector<std::string>{"split"}));
  EXPECT_EQ(needs("study-synthetic-seed1"), (std::vector<std::string>{"split", "generate-normal", "generate-tumor"}));
  EXPECT_EQ(needs("image-quality-normal"), (std::vector<std::string>{"generate-normal", "study"}));
  EXPECT_EQ(needs("external-site_b"), (std::vector<std::string>{"study"}));
  EXPECT_EQ(needs("report").size(), plan.size() - 1);
  EXPECT_EQ(osgan::find_planned_stage(plan, "study-real-seed1").kind, "study-run");
}

TEST(StagePlan, WithoutAnAnatomyStageEachGanNeedsTheSplitOnly) {
  const auto plan = osgan::plan_pipeline_stages(two_classes(false));
  const auto names = names_of(plan);
  EXPECT_EQ(std::count(names.begin(), names.end(), "gan-_anatomy"), 0);
  EXPECT_EQ(osgan::find_planned_stage(plan, "gan-normal").needs, (std::vector<std::string>{"split"}));
}

TEST(StagePlan, AnUnknownStageIsAnErrorListingTheKnownOnes) {
  const auto plan = osgan::plan_pipeline_stages(two_classes(false));
  try {
    osgan::find_planned_stage(plan, "gan-glioma");
    FAIL() << "expected an error";
  } catch (const osgan::Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("\"gan-glioma\""), std::string::npos) << message;
    EXPECT_NE(message.find("gan-tumor"), std::string::npos) << message;
  }
}

TEST(StagePlan, JsonHasNameKindAndNeeds) {
  const auto json = osgan::plan_to_json(osgan::plan_pipeline_stages(two_classes(false)));
  EXPECT_EQ(json.at("format"), "osgan.stage-plan");
  EXPECT_EQ(json.at("stages").at(0).at("name"), "audit");
  EXPECT_EQ(json.at("stages").at(1).at("needs"), nlohmann::json::array({"audit"}));
}

}  // namespace

// --gan-seeds 2: a second GAN and generate stage per class, and every classifier trained on generated images once
// per GAN seed, each waiting for its own GAN seed's images only; real-only classifiers as before.
TEST(StagePlan, EachGanSeedHasItsGansAndItsClassifiers) {
  auto inputs = two_classes(true);
  inputs.gan_seeds = 2;
  const auto plan = osgan::plan_pipeline_stages(inputs);
  const std::vector<std::string> expected = {
      "audit", "split", "gan-_anatomy", "gan-normal", "gan-tumor", "gan-normal-gan2", "gan-tumor-gan2",
      "generate-normal", "generate-tumor", "generate-normal-gan2", "generate-tumor-gan2",
      "study-real-seed1", "study-real-seed2", "study-synthetic-seed1", "study-synthetic-seed2",
      "study-synthetic-gan2-seed1", "study-synthetic-gan2-seed2", "study",
      "external-site_b", "image-quality-normal", "image-quality-tumor", "image-quality-normal-gan2",
      "image-quality-tumor-gan2", "report"};
  EXPECT_EQ(names_of(plan), expected);
  auto needs = [&](const std::string& name) { return osgan::find_planned_stage(plan, name).needs; };
  EXPECT_EQ(needs("gan-tumor-gan2"), (std::vector<std::string>{"split", "gan-_anatomy"}));
  EXPECT_EQ(needs("generate-tumor-gan2"), (std::vector<std::string>{"gan-tumor-gan2"}));
  EXPECT_EQ(needs("study-synthetic-gan2-seed1"),
            (std::vector<std::string>{"split", "generate-normal-gan2", "generate-tumor-gan2"}));
  EXPECT_EQ(needs("study-synthetic-seed1"), (std::vector<std::string>{"split", "generate-normal", "generate-tumor"}));
  EXPECT_EQ(needs("study-real-seed1"), (std::vector<std::string>{"split"}));
  EXPECT_EQ(needs("image-quality-tumor-gan2"), (std::vector<std::string>{"generate-tumor-gan2", "study"}));
  EXPECT_EQ(osgan::gan_run_name("tumor", 1), "tumor");
  EXPECT_EQ(osgan::gan_run_name("tumor", 3), "tumor-gan3");
  EXPECT_EQ(osgan::study_run_stage_name("synthetic", 2, 3), "study-synthetic-gan3-seed2");
  EXPECT_EQ(osgan::study_run_stage_name("synthetic", 2, 1), "study-synthetic-seed2");
}

TEST(StagePlan, AnUpsamplerSitsBetweenEachGanAndItsGeneration) {
  auto in = two_classes(true);
  in.upsampler = true;
  in.gan_seeds = 2;
  const auto plan = osgan::plan_pipeline_stages(in);
  auto needs = [&](const std::string& name) { return osgan::find_planned_stage(plan, name).needs; };
  for (const std::string name : {"normal", "tumor", "normal-gan2", "tumor-gan2"}) {
    EXPECT_EQ(needs("upsampler-" + name), (std::vector<std::string>{"gan-" + name}));
    EXPECT_EQ(osgan::find_planned_stage(plan, "upsampler-" + name).kind, "upsampler");
    EXPECT_EQ(needs("generate-" + name), (std::vector<std::string>{"gan-" + name, "upsampler-" + name}));
  }
  const auto names = names_of(plan);
  for (std::size_t i = 0; i < plan.size(); ++i)
    for (const auto& need : plan[i].needs)
      EXPECT_LT(std::find(names.begin(), names.end(), need) - names.begin(), static_cast<std::ptrdiff_t>(i))
          << plan[i].name << " needs " << need;
  const auto without = names_of(osgan::plan_pipeline_stages(two_classes(true)));
  EXPECT_EQ(std::count_if(without.begin(), without.end(), [](const std::string& n) { return n.rfind("upsampler", 0) == 0; }), 0);
}
