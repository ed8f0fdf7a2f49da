// The stages of one pipeline run and what each needs, defined once: `osgan pipeline` runs them in this order, and
// `osgan pipeline --plan` hands the same graph to a workflow engine (workflow/Snakefile), which runs each stage as
// its own job with `osgan pipeline --only NAME`.
//
// Stage names (C: a class, P: a study protocol, S: a classifier seed, G: a GAN seed after the first, X: an external set):
//   audit, split, gan-_anatomy (when the preset has an anatomy stage), gan-C, generate-C, and with several GAN seeds
//   gan-C-ganG, generate-C-ganG,
//   study-P-seedS and study-P-ganG-seedS (one classifier; workflow jobs only: the pipeline trains them all inside
//   "study"),
//   study (every classifier, then the statistics), external-X, image-quality-C (and -C-ganG), report (metrics.json,
//   report.html)
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace osgan {

struct PlannedStage {
  std::string name;
  std::string kind;                // audit, split, gan, generate, study-run, study, external, image-quality, report
  std::vector<std::string> needs;  // stage names that must be complete before this one starts
};

struct StagePlanInputs {
  std::vector<std::string> classes;
  bool anatomy = false;
  bool upsampler = false;  // upsampler-C between gan-C and generate-C (the cascade: PipelineOptions::upsample_to)
  std::vector<std::string> protocols;
  std::vector<std::uint64_t> seeds;
  std::vector<std::string> external_sets;  // their names (external_set_name of each folder)
  int gan_seeds = 1;                       // GANs per class, each with its own seed
};

// The GAN of class `cls` with GAN seed `gan` (1-based): "C" for the first, "C-ganG" after it. Its folders are
// RUN/gan/<name> and RUN/generated/<name>, its stages gan-<name> and generate-<name>.
std::string gan_run_name(const std::string& cls, int gan);

// "study-<protocol>-seed<seed>" (or "study-<protocol>-gan<gan>-seed<seed>" for GAN seeds after the first): one
// classifier of the study.
std::string study_run_stage_name(const std::string& protocol, std::uint64_t seed, int gan = 0);

// Every stage, in an order where each comes after what it needs.
std::vector<PlannedStage> plan_pipeline_stages(const StagePlanInputs& inputs);

// The stage of that name; throws osgan::Error naming the known stages when there is none.
const PlannedStage& find_planned_stage(const std::vector<PlannedStage>& plan, const std::string& name);

// {"stages": [{"name", "kind", "needs"}, ...]}, what `osgan pipeline --plan` prints.
nlohmann::json plan_to_json(const std::vector<PlannedStage>& plan);

}  // namespace osgan
