// osgan split: a stratified train/validation split that keeps near-duplicates and slices of one file together.
#include <iostream>

#include "commands.h"
#include "osgan/core/log.h"
#include "osgan/data/audit.h"
#include "osgan/data/split.h"

namespace osgan::cli {
namespace {

struct SplitCliOptions {
  std::string data, out;
  bool strict = false;
  data::SplitOptions split;
  data::AuditOptions audit;
};

void run_split(const SplitCliOptions& o) {
  data::DatasetOptions dataset_options;
  dataset_options.strict = o.strict;
  dataset_options.read.strict = o.strict;  // and a header osgan has to ignore, repair or guess (io::HeaderRepair)
  const data::Dataset dataset = data::load_dataset(o.data, dataset_options);
  const data::AuditReport report = data::audit_dataset(dataset, o.audit);  // for the duplicate groups
  const data::Split split = data::make_split(dataset, o.split, data::linked_ids(report));
  data::write_split(o.out, split);
  for (const auto& label : dataset.classes)
    std::cout << label << ": train " << data::select_samples(dataset, split, data::Side::train, label).size()
              << ", val " << data::select_samples(dataset, split, data::Side::val, label).size() << "\n";
  for (const auto& note : split.notes) std::cout << "note: " << note << "\n";
  log_info("wrote " + o.out);
}

void register_split(CLI::App& app) {
  auto options = std::make_shared<SplitCliOptions>();
  auto* cmd = app.add_subcommand("split", "stratified, leakage-safe train/validation split, saved as JSON");
  cmd->add_option("--data", options->data, "folder with one subfolder per class, or a path,label CSV")->required();
  cmd->add_option("--out", options->out, "the split JSON to write")->required();
  cmd->add_option("--val-fraction", options->split.val_fraction, "share of each class in validation")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--seed", options->split.seed, "random seed (same seed, same split)")->capture_default_str();
  cmd->add_option("--min-correlation", options->audit.near_duplicates.min_correlation,
                  "near-duplicate threshold for keeping images together")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--strict", options->strict, "an unreadable file, or a header osgan has to ignore, repair or guess, is an error instead of a warning");
  cmd->callback([options] { run_split(*options); });
}

}  // namespace

OSGAN_COMMAND(11, register_split);

}  // namespace osgan::cli
