// Dataset audit: what a careful researcher checks before training. Counts per class, the table of file
// formats, exact duplicates (same bytes), near-duplicates (see near_duplicates.h), label conflicts (a duplicate
// whose two copies carry different labels), per-class outliers (see outliers.h), and the modes of all images
// (contrast and plane, see mode_model.h, fitted over all classes jointly) with each class's share of each mode and a
// warning for a sizeable mode that belongs to one class: a shortcut a classifier can learn instead of the content.
//
//   AuditReport report = audit_dataset(dataset, {});
//   std::cout << format_audit_summary(report);
//   write_audit_json("audit.json", report);
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osgan/data/dataset.h"
#include "osgan/data/mode_model.h"
#include "osgan/data/near_duplicates.h"
#include "osgan/data/outliers.h"

namespace osgan::data {

struct AuditOptions {
  NearDuplicateOptions near_duplicates;
  OutlierOptions outliers;
  double strong_correlation = 0.98;  // reported separately: pairs at or above this are almost surely copies
  bool modes = true;                  // fit the modes (needs at least 4 images)
  ModeFitOptions mode_fit;
  double mode_min_share = 0.05;       // a mode with at least this share of all images ...
  double mode_single_class = 0.9;     // ... of which at least this share is one class gets a warning
};

struct ModeAuditRow {
  int mode = 0;
  int count = 0;                                // images in the mode
  double share = 0;                             // of all images
  std::map<std::string, int> count_per_class;   // every class, 0 included
  std::string main_class;                       // the class with most images in the mode
  double main_class_share = 0;                  // its share of the mode
  bool single_class = false;                    // share >= mode_min_share and main_class_share >= mode_single_class
};

struct ModeAudit {
  ModeModel model;                                              // k = 0 when the modes were not fitted
  std::vector<ModeAuditRow> modes;                              // (k)
  std::map<std::string, std::vector<double>> share_per_class;  // class -> (k): share of the class's images per mode
  std::vector<std::string> warnings;                            // one line per single-class mode
};

struct FormatRow {
  std::string format, channel_mode;
  int bits_per_sample = 0, width = 0, height = 0;
  std::map<std::string, int> count_per_class;
};

struct DuplicateRef {
  std::string id_a, id_b, label_a, label_b;
  double correlation = 1.0;  // 1 for exact duplicates
  std::string transform;     // symmetry name; "exact" for identical bytes
  double zoom = 1.0, shift_y = 0.0, shift_x = 0.0;
  int hash_distance = 0;
};

struct OutlierRef {
  std::string id, label;
  double score = 0;
  std::vector<FeatureDeviation> reasons;
};

struct AuditReport {
  std::string dataset_root;
  std::vector<std::string> classes;
  std::map<std::string, int> count_per_class;  // samples
  std::vector<SkippedFile> skipped;
  std::vector<FormatRow> formats;
  std::vector<std::vector<std::string>> exact_duplicates;  // groups of ids with identical file bytes
  std::vector<DuplicateRef> near_duplicate_pairs;          // best correlation first
  std::vector<DuplicateRef> label_conflicts;               // exact or near duplicates across classes
  std::vector<OutlierRef> outliers;                        // highest score first
  ModeAudit modes;
  AuditOptions options;
  double seconds = 0;
};

AuditReport audit_dataset(const Dataset& dataset, const AuditOptions& options = {});

// Pairs of sample ids that are exact or near duplicates of each other (the split keeps them together).
std::vector<std::pair<std::string, std::string>> linked_ids(const AuditReport& report);

nlohmann::json audit_to_json(const AuditReport& report);
void write_audit_json(const std::filesystem::path& path, const AuditReport& report);  // atomic
std::string format_audit_summary(const AuditReport& report);                           // for a terminal

}  // namespace osgan::data
