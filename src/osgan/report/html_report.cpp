// Assembles report.html: the stylesheet, a header with the run's identity, a table of contents and the
// sections. A section that throws is replaced by a notice, so one bad value never costs the whole page.
#include "osgan/report/html_report.h"

#include <chrono>
#include <ctime>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/version.h"
#include "osgan/report/html.h"
#include "osgan/report/report_context.h"
#include "osgan/report/run_metrics.h"

namespace fs = std::filesystem;

namespace osgan::report {
namespace {

// Print-friendly, no web fonts (DejaVu/Liberation/system sans are local), tabular figures in tables.
constexpr const char* kStyle = R"CSS(
:root { --ink: #1f2328; --muted: #656d76; --line: #d8dee4; --soft: #f6f8fa; --accent: #3b6fb6;
        --better: #1a7f37; --worse: #c0392b; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
       font: 15px/1.55 "Segoe UI", "Helvetica Neue", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
header.top { background: #16324f; color: #fff; padding: 28px 0 22px; }
header.top .wrap, main, footer { max-width: 1140px; margin: 0 auto; padding: 0 28px; }
header.top h1 { margin: 0 0 4px; font-size: 26px; font-weight: 600; letter-spacing: .2px; }
header.top .sub { color: #c9d6e3; font-size: 14px; }
nav.toc { margin-top: 14px; display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 13.5px; }
nav.toc a { color: #e4ecf4; text-decoration: none; border-bottom: 1px solid #5d7a98; }
section { padding: 8px 0 18px; border-bottom: 1px solid var(--line); }
section:last-of-type { border-bottom: 0; }
h2 { font-size: 21px; font-weight: 600; margin: 26px 0 12px; }
h3 { font-size: 16.5px; font-weight: 600; margin: 22px 0 8px; }
h4 { font-size: 14.5px; font-weight: 600; margin: 14px 0 6px; color: var(--muted); }
p { margin: 8px 0; max-width: 82ch; }
code { font: 13px "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--soft); padding: 1px 4px; border-radius: 3px; }
.meta { color: var(--muted); font-size: 13.5px; }
.notrun { color: var(--muted); font-style: italic; }
.missing { border: 1px dashed var(--worse); color: var(--worse); background: #fff6f5; padding: 8px 10px;
           border-radius: 4px; font-size: 13px; margin: 6px 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 10px 0 6px; font-size: 14px; font-variant-numeric: tabular-nums; }
table.narrow { min-width: 340px; }
table.dense { font-size: 13px; } table.dense th, table.dense td { padding: 5px 7px; }
.scroll { overflow-x: auto; max-width: 100%; }
th, td { padding: 6px 12px; text-align: left; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-weight: 600; color: var(--muted); font-size: 12.5px; text-transform: uppercase; letter-spacing: .3px;
           border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
thead th.num { white-space: normal; min-width: 64px; }
tr.total td, tr.total th { font-weight: 600; border-top: 2px solid var(--line); }
.ci { color: var(--muted); font-size: 12.5px; }
.key { color: var(--muted); font: 11.5px "DejaVu Sans Mono", monospace; }
td.better { color: var(--better); font-weight: 600; } td.worse { color: var(--worse); font-weight: 600; }
td.better .ci, td.worse .ci { color: inherit; font-weight: 400; }
table.protocols { width: 100%; }
table.protocols .ci { display: block; }
table.kv th { font-weight: 500; color: var(--muted); width: 1%; white-space: nowrap; }
table.kv td { overflow-wrap: anywhere; }
.summary { border-bottom: 0; padding-top: 22px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; background: #fff; }
.card .label { color: var(--muted); font-size: 12.5px; text-transform: uppercase; letter-spacing: .3px; }
.card .value { font-size: 24px; font-weight: 600; margin: 4px 0; font-variant-numeric: tabular-nums; }
.card .value .ci { font-size: 14px; font-weight: 400; }
.card .detail { color: var(--muted); font-size: 13px; }
.card.better { border-left: 4px solid var(--better); } .card.worse { border-left: 4px solid var(--worse); }
.card.neutral { border-left: 4px solid #9aa4ae; }
img { display: block; }
img.plot { width: 100%; max-width: 530px; height: auto; border: 1px solid var(--line); border-radius: 6px; }
img.plot.wide { max-width: 820px; } img.plot.square { max-width: 480px; }
.plots { display: flex; flex-wrap: wrap; gap: 16px; margin: 10px 0; }
.block { margin-bottom: 18px; }
.grids { display: flex; flex-wrap: wrap; gap: 18px; margin-top: 12px; }
.grids figure { margin: 0; flex: 0 1 440px; } img.grid { width: 100%; height: auto; border-radius: 4px; image-rendering: auto; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
img.modes { width: 100%; max-width: 820px; height: auto; border-radius: 4px; }
tr.warn td { background: #fdf0e6; } ul.warnings li, p.warning { color: #8a3b00; }
.pairs, .outliers { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 14px; margin: 10px 0; }
.outliers { grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }
figure.pair, figure.outlier { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: var(--soft); }
.duo { display: flex; gap: 6px; }
.duo img.thumb, .duo .missing { width: 50%; }
img.thumb { width: 100%; aspect-ratio: 1 / 1; object-fit: cover; background: #000; border-radius: 3px; }
.id { display: block; font: 11.5px "DejaVu Sans Mono", monospace; color: var(--ink); overflow-wrap: anywhere; }
.tag { display: inline-block; background: #e7eef7; color: #23476f; border-radius: 3px; padding: 0 5px; font-size: 11.5px; margin-right: 4px; }
dl.legend { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 13px; color: var(--muted); margin: 8px 0 4px; }
dl.legend dt { font-weight: 600; color: var(--ink); } dl.legend dd { margin: 0; }
.roc-confusion { display: grid; grid-template-columns: minmax(0, 480px) 1fr; gap: 28px; align-items: start; }
.confusions { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px 18px; }
table.confusion { margin: 4px 0; font-size: 13.5px; }
table.confusion caption { text-align: left; font-weight: 600; font-size: 13px; padding-bottom: 4px; }
table.confusion th { font-weight: 500; color: var(--muted); font-size: 12px; text-transform: none; letter-spacing: 0; border: 0; }
table.confusion td { min-width: 74px; border: 2px solid #fff; font-weight: 600; }
table.confusion .share { display: block; font-weight: 400; font-size: 11px; color: var(--muted); }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 28px; }
ul.caveats li, ul.findings li { margin: 6px 0; max-width: 95ch; }
#caveats { background: #fffaf0; border: 1px solid #f0dfb8; border-radius: 8px; padding: 4px 20px 10px; margin: 18px 0; }
details summary { cursor: pointer; color: var(--accent); font-size: 14px; margin: 6px 0; }
footer { color: var(--muted); font-size: 12.5px; padding: 16px 28px 30px; }
@media (max-width: 820px) { .roc-confusion, .two { grid-template-columns: 1fr; } }
@media print { header.top { background: #fff; color: #000; } nav.toc { display: none; } section { break-inside: avoid-page; } }
)CSS";

std::string now_utc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

using SectionFn = std::string (*)(ReportContext&);

std::string render_section(ReportContext& ctx, const char* name, SectionFn fn) {
  try {
    return fn(ctx);
  } catch (const Error& e) {
    return "<section><h2>" + html_escape(name) + "</h2>" + ctx.notice(std::string(name) + " not shown: " + e.what()) + "</section>\n";
  } catch (const json::exception& e) {
    return "<section><h2>" + html_escape(name) + "</h2>" +
           ctx.notice(std::string(name) + " not shown: unexpected value in metrics.json (" + e.what() + ")") + "</section>\n";
  }
}

}  // namespace

ReportResult render_report_html(const nlohmann::json& metrics, const ReportOptions& options) {
  ReportContext ctx(metrics, options.run_dir);
  struct Part { const char* id; const char* name; SectionFn fn; };
  const Part parts[] = {{"audit", "Dataset audit", section_audit},
                        {"split", "Split", section_split},
                        {"gan", "GAN training", section_gan},
                        {"quality", "Image quality", section_image_quality},
                        {"classification", "Classification", section_classification},
                        {"external", "External validation", section_external},
                        {"ratio", "How many synthetic images?", section_ratio},
                        {"caveats", "Caveats", section_caveats},
                        {"environment", "Environment", section_environment}};
  std::string body = render_section(ctx, "Summary", section_summary);
  for (const auto& part : parts) body += render_section(ctx, part.name, part.fn);

  std::string run_name = text(find(metrics, {"run", "name"}));
  if (run_name.empty()) {
    // "runs/brain/" and "." both name a folder: take the last non-empty part of the absolute path.
    const fs::path dir = fs::absolute(options.run_dir.empty() ? fs::path(".") : options.run_dir).lexically_normal();
    run_name = dir.filename().empty() ? dir.parent_path().filename().string() : dir.filename().string();
  }
  std::string created = text(find(metrics, {"run", "created"}));

  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>" + html_escape(options.title + ": " + run_name) + "</title>\n<style>" + kStyle +
                     "</style>\n</head>\n<body>\n<header class=\"top\"><div class=\"wrap\"><h1>" +
                     html_escape(options.title) + "</h1><div class=\"sub\">run <strong>" + html_escape(run_name) +
                     "</strong>" + (created.empty() ? "" : " &middot; " + html_escape(created)) +
                     " &middot; One-Shot GAN data augmentation, measured</div>\n<nav class=\"toc\">";
  for (const auto& part : parts) html += "<a href=\"#" + std::string(part.id) + "\">" + part.name + "</a>";
  html += "</nav></div></header>\n<main>\n" + body + "</main>\n<footer>Generated by osgan " OSGAN_VERSION " on " +
          now_utc() + " from metrics.json. Self-contained: opens offline, makes no network request.";
  if (!ctx.problems.empty())
    html += " " + std::to_string(ctx.problems.size()) + " item(s) could not be shown; they are marked in red above.";
  html += "</footer>\n</body>\n</html>\n";

  ReportResult result;
  result.html = std::move(html);
  result.images = ctx.images;
  result.plots = ctx.plots;
  result.problems = std::move(ctx.problems);
  return result;
}

ReportResult write_report(const ReportOptions& options) {
  if (!fs::is_directory(options.run_dir))
    fail(ErrorCode::invalid_argument, "run folder \"" + options.run_dir.string() + "\" does not exist. Hint: pass the " +
                                          "folder written by 'osgan pipeline'");
  const auto metrics = load_run_metrics(options.run_dir / "metrics.json");
  ReportResult result = render_report_html(metrics, options);
  result.path = options.out_path.empty() ? options.run_dir / "report.html" : options.out_path;
  write_text_atomically(result.path, result.html);
  return result;
}

}  // namespace osgan::report
