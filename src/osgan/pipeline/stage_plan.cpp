#include "osgan/pipeline/stage_plan.h"

#include <algorithm>

#include "osgan/core/error.h"

namespace osgan {
namespace {
bool uses_generated_images(const std::string& protocol) { return protocol.find("synthetic") != std::string::npos; }
}  // namespace

std::string gan_run_name(const std::string& cls, int gan) { return gan > 1 ? cls + "-gan" + std::to_string(gan) : cls; }

std::string study_run_stage_name(const std::string& protocol, std::uint64_t seed, int gan) {
  return "study-" + protocol + (gan > 1 ? "-gan" + std::to_string(gan) : "") + "-seed" + std::to_string(seed);
}

std::vector<PlannedStage> plan_pipeline_stages(const StagePlanInputs& in) {
  std::vector<PlannedStage> plan;
  plan.push_back({"audit", "audit", {}});
  plan.push_back({"split", "split", {"audit"}});
  if (in.anatomy) plan.push_back({"gan-_anatomy", "gan", {"split"}});
  std::vector<std::string> all_generated;
  for (int gan = 1; gan <= in.gan_seeds; ++gan)
    for (const auto& cls : in.classes) {
      std::vector<std::string> needs = {"split"};
      if (in.anatomy) needs.push_back("gan-_anatomy");
      plan.push_back({"gan-" + gan_run_name(cls, gan), "gan", needs});
    }
  for (int gan = 1; gan <= in.gan_seeds; ++gan)
    for (const auto& cls : in.classes) {
      const auto name = gan_run_name(cls, gan);
      if (in.upsampler) plan.push_back({"upsampler-" + name, "upsampler", {"gan-" + name}});
      plan.push_back({"generate-" + name, "generate",
                      in.upsampler ? std::vector<std::string>{"gan-" + name, "upsampler-" + name}
                                   : std::vector<std::string>{"gan-" + name}});
      all_generated.push_back("generate-" + name);
    }
  std::vector<std::string> study_needs = {"split"};
  study_needs.insert(study_needs.end(), all_generated.begin(), all_generated.end());
  for (const auto& protocol : in.protocols) {
    const bool generated = uses_generated_images(protocol);
    for (int gan = generated ? 1 : 0; gan <= (generated ? in.gan_seeds : 0); ++gan) {
      for (auto seed : in.seeds) {
        std::vector<std::string> needs = {"split"};
        for (const auto& cls : in.classes)
          if (generated) needs.push_back("generate-" + gan_run_name(cls, gan));
        plan.push_back({study_run_stage_name(protocol, seed, gan), "study-run", needs});
        study_needs.push_back(plan.back().name);
      }
    }
  }
  plan.push_back({"study", "study", study_needs});
  for (const auto& set : in.external_sets) plan.push_back({"external-" + set, "external", {"study"}});
  for (int gan = 1; gan <= in.gan_seeds; ++gan)  // every GAN seed's images are scored, each against its class
    for (const auto& cls : in.classes) {
      const std::string name = gan_run_name(cls, gan);
      plan.push_back({"image-quality-" + name, "image-quality", {"generate-" + name, "study"}});
    }
  std::vector<std::string> everything;
  for (const auto& stage : plan) everything.push_back(stage.name);
  plan.push_back({"report", "report", everything});
  return plan;
}

const PlannedStage& find_planned_stage(const std::vector<PlannedStage>& plan, const std::string& name) {
  auto it = std::find_if(plan.begin(), plan.end(), [&](const PlannedStage& s) { return s.name == name; });
  if (it != plan.end()) return *it;
  std::string known;
  for (const auto& s : plan) known += (known.empty() ? "" : ", ") + s.name;
  fail(ErrorCode::invalid_argument, "--only: this run has no stage \"" + name + "\" (its stages: " + known + ")");
}

nlohmann::json plan_to_json(const std::vector<PlannedStage>& plan) {
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& s : plan) stages.push_back({{"name", s.name}, {"kind", s.kind}, {"needs", s.needs}});
  return {{"format", "osgan.stage-plan"}, {"version", 1}, {"stages", stages}};
}

}  // namespace osgan
