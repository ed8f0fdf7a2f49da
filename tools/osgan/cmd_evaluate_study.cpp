// osgan evaluate-study: every classifier a pipeline run's study kept, evaluated unchanged on a new labelled set
// (an external validation added after the run, without retraining). Results go to RUN/external/<name>/, into
// RUN/metrics.json's "external" section, and into the report.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "common_options.h"
#include "osgan/core/atomic_file.h"
#include "osgan/core/confined_path.h"
#include "osgan/core/log.h"
#include "osgan/core/remove_tree.h"
#include "osgan/pipeline/external_validation.h"
#include "osgan/report/ratio_protocol.h"
#include "osgan/report/html_report.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace osgan::cli {
namespace {

struct Args {
  ComputeOptions compute;
  std::string run, data, name;
  int bootstrap = 2000;
};

std::string cell(const json& stat) {
  if (!stat.is_object() || !stat["mean"].is_number()) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f [%.3f, %.3f]", stat["mean"].get<double>(),
                stat["ci95"][0].is_number() ? stat["ci95"][0].get<double>() : std::nan(""),
                stat["ci95"][1].is_number() ? stat["ci95"][1].get<double>() : std::nan(""));
  return buf;
}

void run(const Args& a) {
  apply_compute_options(a.compute);
  const fs::path run_dir(a.run);
  const std::string name = a.name.empty() ? external_set_name(a.data) : a.name;
  const fs::path out = confined_child(run_dir / "external", name, "external set name");
  ModelEvaluationOptions o;
  o.models = list_study_models(run_dir / "study");
  o.study_signature = study_signature(run_dir / "study");
  o.images = {a.data, "", "val", ""};
  o.set_name = name;
  o.bootstrap_resamples = a.bootstrap;
  o.seed = a.compute.seed;
  o.device = a.compute.device;
  // Into a fresh folder first: a failure leaves any earlier results of this set as they were.
  const fs::path staging = run_dir / "external" / ("." + name + ".partial");
  remove_tree(staging);
  o.out_dir = staging;
  const json result = evaluate_models(o);
  remove_tree(out);
  fs::rename(staging, out);

  // The run's metrics.json and report, when the run has them.
  const fs::path metrics_file = run_dir / "metrics.json";
  json validation;
  std::error_code ec;
  if (fs::is_regular_file(metrics_file, ec)) {
    json m = json::parse(read_text_file(metrics_file));
    m["external"][name] = result["classification"];
    const json study = json::parse(read_text_file(run_dir / "study" / "study.json"));
    if (auto sweep = ratio_sweep_table(result["classification"], study.value("synthetic_per_class", json::object()));
        !sweep.empty())
      m["external"][name]["ratio"] = sweep;
    m["external_sets"][name] = external_set_summary(result);
    validation = m.value("classification", json::object());
    write_text_atomically(metrics_file, m.dump(2) + "\n");
    report::ReportOptions report_options;
    report_options.run_dir = run_dir;
    report::write_report(report_options);
  }

  std::cout << name << ": " << result["evaluated_on"].get<std::string>() << "\n";
  std::printf("%-26s %-24s %-24s %-24s %-24s\n", "protocol", "AUC validation", "AUC external", "accuracy validation",
              "accuracy external");
  for (const auto& [protocol, stats] : result["classification"].items()) {
    const json none;
    const json& v = validation.contains(protocol) ? validation[protocol] : none;
    std::printf("%-26s %-24s %-24s %-24s %-24s\n", protocol.c_str(), cell(v.is_object() ? v["auc"] : none).c_str(),
                cell(stats["auc"]).c_str(), cell(v.is_object() ? v["accuracy"] : none).c_str(),
                cell(stats["accuracy"]).c_str());
  }
  std::cout << "wrote " << (out / "results.json").string()
            << (fs::is_regular_file(metrics_file, ec) ? ", metrics.json and report.html" : "") << "\n";
}

void register_evaluate_study(CLI::App& app) {
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("evaluate-study", "evaluate every classifier of a pipeline run on another labelled set "
                                                   "(external validation, no retraining)");
  cmd->add_option("--run", args->run, "the pipeline's run folder (RUN)")->required();
  cmd->add_option("--data", args->data, "labelled dataset from another source (one folder per class, or CSV)")->required();
  cmd->add_option("--name", args->name, "the set's name in metrics.json (default: the folder's name)");
  cmd->add_option("--bootstrap", args->bootstrap, "bootstrap resamples for the intervals")->capture_default_str();
  add_compute_options(cmd, args->compute);
  cmd->callback([args] { run(*args); });
}

}  // namespace

OSGAN_COMMAND(55, register_evaluate_study);

}  // namespace osgan::cli
