// osgan audit: counts, formats, exact and near duplicates, label conflicts, outliers and modes of a dataset.
#include <iostream>

#include "commands.h"
#include "osgan/core/log.h"
#include "osgan/data/audit.h"

namespace osgan::cli {
namespace {

struct AuditCliOptions {
  std::string data, json;
  bool strict = false;
  data::AuditOptions audit;
};

void run_audit(const AuditCliOptions& o) {
  data::DatasetOptions dataset_options;
  dataset_options.strict = o.strict;
  dataset_options.read.strict = o.strict;  // and a header osgan has to ignore, repair or guess (io::HeaderRepair)
  const data::Dataset dataset = data::load_dataset(o.data, dataset_options);
  const data::AuditReport report = data::audit_dataset(dataset, o.audit);
  std::cout << data::format_audit_summary(report);
  if (!o.json.empty()) {
    data::write_audit_json(o.json, report);
    log_info("wrote " + o.json);
  }
}

void register_audit(CLI::App& app) {
  auto options = std::make_shared<AuditCliOptions>();
  auto* cmd = app.add_subcommand(
      "audit", "report classes, formats, duplicates, label conflicts, outliers and modes (contrast, plane) per class");
  cmd->add_option("--data", options->data, "folder with one subfolder per class, or a path,label CSV")->required();
  cmd->add_option("--json", options->json, "also write the full report as JSON here");
  cmd->add_flag("--strict", options->strict,
                "an unreadable file, or a header field osgan has to ignore, repair or guess, is an error instead of a warning");
  cmd->add_option("--min-correlation", options->audit.near_duplicates.min_correlation,
                  "near-duplicate threshold: NCC of 32x32 thumbnails after alignment")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--outlier-z", options->audit.outliers.min_z, "robust |z| within a class that marks an outlier")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->callback([options] { run_audit(*options); });
}

}  // namespace

OSGAN_COMMAND(10, register_audit);

}  // namespace osgan::cli
