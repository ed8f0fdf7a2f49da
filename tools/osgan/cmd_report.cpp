// osgan report: (re)builds RUN/report.html from RUN/metrics.json and the files it names.
#include <iostream>
#include <memory>

#include "commands.h"
#include "osgan/core/log.h"
#include "osgan/report/html_report.h"

namespace osgan::cli {
namespace {

void register_report(CLI::App& app) {
  auto options = std::make_shared<report::ReportOptions>();
  auto* cmd = app.add_subcommand("report", "write a self-contained HTML report of a run (RUN/report.html)");
  cmd->add_option("--run", options->run_dir, "run folder holding metrics.json")->required();
  cmd->add_option("--out", options->out_path, "output file (default: RUN/report.html)");
  cmd->add_option("--title", options->title, "title at the top of the page")->capture_default_str();
  cmd->callback([options] {
    const auto result = report::write_report(*options);
    log_info("report: " + std::to_string(result.images) + " images (" + std::to_string(result.plots) + " plots), " +
             std::to_string(result.problems.size()) + " item(s) not shown");
    std::cout << result.path.string() << "\n";
  });
}

}  // namespace

OSGAN_COMMAND(80, register_report);

}  // namespace osgan::cli
