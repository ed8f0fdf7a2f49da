// The run report: one self-contained report.html (inline CSS, images and gnuplot plots as data URIs, no
// script, no external request) built from RUN/metrics.json and the files it names.
//
//   osgan::report::ReportOptions options;
//   options.run_dir = "runs/brain";            // holds metrics.json
//   auto written = osgan::report::write_report(options);   // runs/brain/report.html
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace osgan::report {

struct ReportOptions {
  std::filesystem::path run_dir;   // the run folder; relative paths in metrics.json are relative to it
  std::filesystem::path out_path;  // empty: run_dir/report.html
  std::string title = "osgan run report";
};

// What went into a report, for callers and tests.
struct ReportResult {
  std::filesystem::path path;         // where it was written (empty for render_report_html)
  std::string html;
  int images = 0;                     // <img> elements embedded (pictures and plots)
  int plots = 0;                      // of which gnuplot plots
  std::vector<std::string> problems;  // things shown as "missing" or "could not render" in the page
};

// Builds the HTML for `metrics` (a parsed metrics.json). Never throws for missing or malformed sections:
// each renders as "not run" or as a visible notice, and is listed in `problems` (and logged as a warning).
ReportResult render_report_html(const nlohmann::json& metrics, const ReportOptions& options);

// Loads run_dir/metrics.json, renders it, and writes the page atomically. Throws osgan::Error when
// metrics.json is missing or malformed, or the page cannot be written.
ReportResult write_report(const ReportOptions& options);

}  // namespace osgan::report
