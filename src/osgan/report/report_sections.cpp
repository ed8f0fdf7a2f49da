// The sections of the run report, in page order. Each reads its part of metrics.json defensively: a missing
// part prints "Not run", a malformed value prints a notice, and neither stops the rest of the page.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

#include "osgan/report/csv_table.h"
#include "osgan/report/figures.h"
#include "osgan/report/html.h"
#include "osgan/report/report_context.h"

namespace osgan::report {
namespace {

std::string open_section(const std::string& id, const std::string& title) {
  return "<section id=\"" + id + "\"><h2>" + html_escape(title) + "</h2>\n";
}

std::string not_run(const std::string& key) {
  return "<p class=\"notrun\">Not run: metrics.json has no <code>" + html_escape(key) + "</code> section.</p>\n";
}

std::string esc(const std::string& s) { return html_escape(s); }

// Classes in a stable order: dataset.classes first, then any other class named in `section`.
std::vector<std::string> class_names(const ReportContext& ctx, const json* section) {
  std::vector<std::string> names;
  if (const json* classes = find(ctx.metrics(), {"dataset", "classes"}); classes && classes->is_object())
    for (const auto& [k, v] : classes->items()) names.push_back(k);
  if (section && section->is_object())
    for (const auto& [k, v] : section->items())
      if (v.is_object() && std::find(names.begin(), names.end(), k) == names.end()) names.push_back(k);
  return names;
}

// Colour class of a paired difference from its interval: helps (above 0), hurts (below 0), or unclear.
std::string verdict_class(const json* delta) {
  const auto ci = numbers(find(delta, {"ci95"}));
  if (ci.size() != 2) return "neutral";
  if (ci[0] > 0) return "better";
  if (ci[1] < 0) return "worse";
  return "neutral";
}

std::string verdict_text(const json* delta) {
  const std::string v = verdict_class(delta);
  if (v == "better") return "better than real only (95% interval above 0)";
  if (v == "worse") return "worse than real only (95% interval below 0)";
  return "no detectable difference from real only (95% interval includes 0)";
}

std::string reasons_text(const json* reasons) {
  if (!reasons) return "";
  if (!reasons->is_array()) return text(reasons);
  std::string out;
  for (const auto& r : *reasons) out += (out.empty() ? "" : "; ") + (r.is_string() ? r.get<std::string>() : r.dump());
  return out;
}

std::string card(const std::string& label, const std::string& value, const std::string& detail,
                 const std::string& css = "") {
  return "<div class=\"card " + css + "\"><div class=\"label\">" + esc(label) + "</div><div class=\"value\">" + value +
         "</div><div class=\"detail\">" + detail + "</div></div>\n";
}

}  // namespace

std::string section_summary(ReportContext& ctx) {
  const json& m = ctx.metrics();
  std::string out = "<section id=\"summary\" class=\"summary\">\n<div class=\"cards\">\n";
  if (const json* classes = find(m, {"dataset", "classes"}); classes && classes->is_object()) {
    double total = 0;
    std::string detail;
    for (const auto& [k, v] : classes->items()) {
      total += number(&v);
      detail += (detail.empty() ? "" : " &middot; ") + esc(k) + " " + fmt_count(number(&v));
    }
    out += card("Images", fmt_count(total), detail);
  }
  const json* cls = find(m, {"classification"});
  if (const json* acc = find(cls, {"real", "accuracy"}))
    out += card("Accuracy, real only", fmt_estimate(acc), "mean [95% interval] over repeated runs");
  for (const char* key : {"real_synthetic", "real_synthetic_classical"}) {
    const json* acc = find(cls, {key, "accuracy"});
    if (!acc) continue;
    const json* delta = find(cls, {key, "delta_vs_real", "accuracy"});
    std::string detail = delta ? "&Delta; vs real " + fmt_estimate(delta) + "<br>" + esc(verdict_text(delta)) : "";
    out += card("Accuracy, " + protocol_label(key), fmt_estimate(acc), detail, delta ? verdict_class(delta) : "");
    break;
  }
  if (const json* external = find(m, {"external"}); external && external->is_object() && !external->empty()) {
    const auto first = external->begin();  // an iterator that outlives the uses below (items() proxies do not)
    const std::string name = first.key();
    const json& set = first.value();
    const json* acc = find(&set, {"real", "accuracy"});
    if (acc) {
      const double val_acc = number(find(cls, {"real", "accuracy", "mean"}));
      out += card("Accuracy, real only, on " + name, fmt_estimate(acc),
                  "external set: another source's images" + (std::isfinite(val_acc) ? "; validation side " + fmt(val_acc) : std::string()));
    }
  }
  if (const json* gan = find(m, {"gan"}); gan && gan->is_object()) {
    double seconds = 0;
    for (const auto& [k, v] : gan->items()) seconds += std::isfinite(number(find(v, {"seconds"}))) ? number(find(v, {"seconds"})) : 0;
    out += card("GANs trained", std::to_string(gan->size()), "one per class; their training times add up to " + fmt_seconds(seconds) +
                                                         " (classes may have trained side by side)");
  }
  out += "</div>\n</section>\n";
  return out;
}

// The audit's modes (contrast and plane, fitted over all classes): each class's share per mode, and a warning for
// every sizeable mode that belongs to one class.
std::string section_audit_modes(const json* modes) {
  if (!modes || !modes->is_object()) return "";
  std::string out = "<h3>Modes: contrast and plane</h3>\n<p>The images fall into " + fmt_count(number(find(modes, {"k"}))) +
                    " modes of contrast and plane (k-means on head-masked intensity and shape features, fitted over "
                    "all classes; " + esc(text(find(modes, {"k_rule"}))) + "). Each class's share of each mode:</p>\n";
  const json* share = find(modes, {"share_per_class"});
  out += "<table class=\"narrow\"><thead><tr><th>mode</th><th class=\"num\">images</th>";
  std::vector<std::string> classes;
  if (share && share->is_object())
    for (const auto& [c, v] : share->items()) classes.push_back(c);
  for (const auto& c : classes) out += "<th class=\"num\">" + esc(c) + "</th>";
  out += "</tr></thead><tbody>\n";
  const json* rows = find(modes, {"modes"});
  if (rows && rows->is_array())
    for (const auto& r : *rows) {
      const int m = static_cast<int>(number(find(&r, {"mode"})));
      out += std::string("<tr") + (r.value("single_class", false) ? " class=\"warn\"" : "") + "><td>" +
             std::to_string(m) + "</td><td class=\"num\">" + fmt_count(number(find(&r, {"count"}))) + "</td>";
      for (const auto& c : classes) {
        const auto v = numbers(find(share, {c.c_str()}));
        out += "<td class=\"num\">" + (m < static_cast<int>(v.size()) ? fmt(100 * v[m], 1) + "%" : "&ndash;") + "</td>";
      }
      out += "</tr>\n";
    }
  out += "</tbody></table>\n";
  const json* warnings = find(modes, {"warnings"});
  if (warnings && warnings->is_array() && !warnings->empty()) {
    out += "<ul class=\"warnings\">";
    for (const auto& w : *warnings) out += "<li>" + esc(text(&w)) + "</li>";
    out += "</ul>\n";
  } else {
    out += "<p class=\"meta\">No mode of 5% or more of the images is 90% one class. Modes below that share (the CT "
           "slices, for example) are not flagged, and a contrast the features do not separate is not seen.</p>\n";
  }
  return out;
}

std::string section_audit(ReportContext& ctx) {
  const json& m = ctx.metrics();
  std::string out = open_section("audit", "Dataset audit");
  const json* classes = find(m, {"dataset", "classes"});
  if (classes && classes->is_object()) {
    double total = 0;
    for (const auto& [k, v] : classes->items()) total += number(&v);
    out += "<table class=\"narrow\"><thead><tr><th>class</th><th class=\"num\">images</th><th class=\"num\">share</th></tr></thead><tbody>\n";
    for (const auto& [k, v] : classes->items())
      out += "<tr><td>" + esc(k) + "</td><td class=\"num\">" + fmt_count(number(&v)) + "</td><td class=\"num\">" +
             fmt(100.0 * number(&v) / total, 1) + "%</td></tr>\n";
    out += "<tr class=\"total\"><td>total</td><td class=\"num\">" + fmt_count(total) + "</td><td></td></tr></tbody></table>\n";
    if (const json* root = find(m, {"dataset", "root"})) out += "<p class=\"meta\">Data root: <code>" + esc(text(root)) + "</code></p>\n";
  } else {
    out += not_run("dataset");
  }

  const json* audit = find(m, {"audit"});
  if (!audit) return out + not_run("audit") + "</section>\n";

  // Near-duplicate pairs, most similar first; thumbnails for the top ones, the rest in a table.
  out += "<h3>Near-duplicate pairs</h3>\n";
  const json* pairs = find(audit, {"near_duplicate_pairs"});
  if (!pairs || !pairs->is_array()) {
    out += not_run("audit.near_duplicate_pairs");
  } else if (pairs->empty()) {
    out += "<p>No near-duplicate pairs were flagged.</p>\n";
  } else {
    std::vector<const json*> sorted;
    for (const auto& p : *pairs) sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const json* a, const json* b) { return number(find(a, {"score"})) > number(find(b, {"score"})); });
    constexpr size_t kShown = 12;
    out += "<p>" + std::to_string(sorted.size()) + " pair(s) of images are nearly identical. If the two images of a pair "
           "land in different splits, the validation score is optimistic. The " + std::to_string(std::min(kShown, sorted.size())) +
           " most similar:</p>\n<div class=\"pairs\">\n";
    for (size_t i = 0; i < sorted.size() && i < kShown; ++i) {
      const std::string a = text(find(sorted[i], {"a"})), b = text(find(sorted[i], {"b"}));
      out += "<figure class=\"pair\"><div class=\"duo\">" + ctx.data_image(a, a, "thumb") + ctx.data_image(b, b, "thumb") +
             "</div><figcaption><span class=\"id\">" + esc(a) + "</span><span class=\"id\">" + esc(b) +
             "</span>score " + fmt(number(find(sorted[i], {"score"}))) + "</figcaption></figure>\n";
    }
    out += "</div>\n";
    if (sorted.size() > kShown) {
      out += "<details><summary>All " + std::to_string(sorted.size()) + " pairs</summary><table><thead><tr><th>a</th><th>b</th><th class=\"num\">score</th></tr></thead><tbody>\n";
      for (const json* p : sorted)
        out += "<tr><td>" + esc(text(find(p, {"a"}))) + "</td><td>" + esc(text(find(p, {"b"}))) + "</td><td class=\"num\">" +
               fmt(number(find(p, {"score"}))) + "</td></tr>\n";
      out += "</tbody></table></details>\n";
    }
  }

  out += section_audit_modes(find(audit, {"modes"}));

  out += "<h3>Outliers</h3>\n";
  const json* outliers = find(audit, {"outliers"});
  if (!outliers || !outliers->is_array()) {
    out += not_run("audit.outliers");
  } else if (outliers->empty()) {
    out += "<p>No outliers were flagged.</p>\n";
  } else {
    out += "<p>" + std::to_string(outliers->size()) + " image(s) differ from the rest of their class (for example CT "
           "slices among MRI). A classifier can learn such a difference instead of the pathology.</p>\n<div class=\"outliers\">\n";
    constexpr size_t kShown = 24;
    size_t shown = 0;
    for (const auto& o : *outliers) {
      if (shown++ == kShown) break;
      const std::string id = text(find(o, {"id"}));
      out += "<figure class=\"outlier\">" + ctx.data_image(id, id, "thumb") + "<figcaption><span class=\"id\">" + esc(id) +
             "</span><span class=\"tag\">" + esc(text(find(o, {"class"}))) + "</span> " + esc(reasons_text(find(o, {"reasons"}))) +
             "</figcaption></figure>\n";
    }
    out += "</div>\n";
    if (outliers->size() > kShown)
      out += "<p class=\"meta\">" + std::to_string(outliers->size() - kShown) + " more not shown; see metrics.json.</p>\n";
  }
  return out + "</section>\n";
}

std::string section_split(ReportContext& ctx) {
  std::string out = open_section("split", "Split");
  const json* split = find(ctx.metrics(), {"split"});
  if (!split || !split->is_object()) return out + not_run("split") + "</section>\n";
  std::vector<std::string> parts;
  std::vector<std::string> classes;
  for (const auto& [part, counts] : split->items()) {
    if (!counts.is_object()) continue;
    parts.push_back(part);
    for (const auto& [c, n] : counts.items())
      if (std::find(classes.begin(), classes.end(), c) == classes.end()) classes.push_back(c);
  }
  // train, val, test first, in that order.
  auto rank = [](const std::string& p) { return p == "train" ? 0 : p == "val" ? 1 : p == "test" ? 2 : 3; };
  std::stable_sort(parts.begin(), parts.end(), [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  out += "<table class=\"narrow\"><thead><tr><th>class</th>";
  for (const auto& p : parts) out += "<th class=\"num\">" + esc(p) + "</th>";
  out += "<th class=\"num\">total</th></tr></thead><tbody>\n";
  std::map<std::string, double> part_totals;
  for (const auto& c : classes) {
    double total = 0;
    out += "<tr><td>" + esc(c) + "</td>";
    for (const auto& p : parts) {
      const double n = number(find(split, {p.c_str(), c.c_str()}));
      if (std::isfinite(n)) total += n, part_totals[p] += n;
      out += "<td class=\"num\">" + fmt_count(n) + "</td>";
    }
    out += "<td class=\"num\">" + fmt_count(total) + "</td></tr>\n";
  }
  double all = 0;
  out += "<tr class=\"total\"><td>total</td>";
  for (const auto& p : parts) out += "<td class=\"num\">" + fmt_count(part_totals[p]) + "</td>", all += part_totals[p];
  out += "<td class=\"num\">" + fmt_count(all) + "</td></tr></tbody></table>\n";
  out += "<p class=\"meta\">Stratified by class. GANs and classifiers see only the training part; every score below is "
         "measured on the validation part.</p>\n";
  return out + "</section>\n";
}

std::string section_gan(ReportContext& ctx) {
  std::string out = open_section("gan", "One-Shot GAN training");
  const json* gan = find(ctx.metrics(), {"gan"});
  if (!gan || !gan->is_object()) return out + not_run("gan") + "</section>\n";
  bool per_mode = false;  // gan.per_mode: one GAN per mode of each class
  for (const auto& c : class_names(ctx, gan))
    if (const json* g = find(gan, {c.c_str()}); g && find(g, {"per_mode"})) per_mode = true;
  out += std::string("<p class=\"meta\">One GAN per ") + (per_mode ? "mode of each class" : "class") +
         " (One-Shot GAN, Sushko et al., CVPR Workshops 2021). Faint lines are the logged values, solid lines their "
         "moving average.</p>\n";
  if (const json* a = find(ctx.metrics(), {"gan_anatomy"})) {
    // The stage every class's GAN started from: what it learned is what fine-tuning had to build on.
    std::string classes = text(find(a, {"classes"}));  // "normal,tumor" as given to --class
    for (std::size_t i = classes.find(','); i != std::string::npos; i = classes.find(',', i + 2)) classes.replace(i, 1, ", ");
    out += "<div class=\"block\"><h3>anatomy stage (every class)</h3><p class=\"meta\">" +
           fmt_count(number(find(a, {"steps"}))) + " steps on the " + fmt_count(number(find(a, {"training_images"}))) +
           " training images of " + esc(classes) + " together &middot; " +
           fmt_seconds(number(find(a, {"seconds"}))) + ". Each class's GAN below started from its last checkpoint and "
           "then learned its own class alone.</p>\n";
    const std::string quality = text(find(a, {"quality_csv"}));
    if (!quality.empty())
      out += ctx.plot("sample quality, anatomy stage", [&] {
        return plot_quality_curve(read_csv_table(ctx.resolve_run_path(quality)), "Sample quality by step: anatomy stage");
      }, "plot wide");
    out += "<div class=\"grids\"><figure>" + ctx.run_image(text(find(a, {"samples_grid"})), "anatomy stage samples", "grid") +
           "<figcaption>left: real training images; right: the anatomy stage's samples at its last step</figcaption>"
           "</figure></div></div>\n";
  }
  for (const auto& c : class_names(ctx, gan)) {
    const json* g = find(gan, {c.c_str()});
    if (!g) continue;
    out += "<div class=\"block\"><h3>" + esc(c) + "</h3><p class=\"meta\">" + esc(text(find(g, {"arch"}))) +
           (find(g, {"arch"}) ? " &middot; " : "") + fmt_count(number(find(g, {"steps"}))) + " steps &middot; " +
           fmt_seconds(number(find(g, {"seconds"}))) + "</p>\n";
    // "95 / 50 / 16": each mode's training slices, from gan.<class>.per_mode, .mode_condition or .mode_balance.
    const auto slices_per_mode = [](const json& modes) {
      std::string counts;
      for (const auto& n : modes.value("training_images", json::array()))
        counts += (counts.empty() ? "" : " / ") + fmt_count(n.is_number() ? n.get<double>() : 0.0);
      return counts;
    };
    if (const json* per_mode = find(g, {"per_mode"}); per_mode && per_mode->is_object()) {
      out += "<p class=\"meta\">One GAN per mode of this class (contrast and plane): " +
             fmt_count(number(find(per_mode, {"modes"}))) + " modes of " + slices_per_mode(*per_mode) +
             " training slices, each GAN trained on "
             "its mode's slices alone; the generated images are drawn from them in those shares. The curves below are "
             "mode 0's, the largest.</p>\n";
    }
    if (const json* conditioned = find(g, {"mode_condition"}); conditioned && conditioned->is_object()) {
      out += "<p class=\"meta\">Conditioned on the modes of this class (contrast and plane): " +
             fmt_count(number(find(conditioned, {"modes"}))) + " modes of " + slices_per_mode(*conditioned) +
             " training slices. G reads the "
             "mode as a region of its noise, D's content branch as a projection; the generated images are drawn in "
             "the modes' shares.</p>\n";
    }
    if (const json* balanced = find(g, {"mode_balance"}); balanced && balanced->is_object()) {
      char balance[32];
      std::snprintf(balance, sizeof balance, "%.3g", number(find(balanced, {"balance"})));
      out += "<p class=\"meta\">Batches balanced across the modes of this class (contrast and plane): " +
             fmt_count(number(find(balanced, {"modes"}))) + " modes of " + slices_per_mode(*balanced) +
             " training slices, mode_balance " + balance + ": each mode drawn in proportion to its slice count to the "
             "power 1 - mode_balance (1: every mode equally often; 0: every slice).</p>\n";
    }
    if (const json* up = find(g, {"upsampler"}); up && up->is_object()) {
      char psnr[160];
      std::snprintf(psnr, sizeof psnr, "%.1f dB against %.1f dB for bilinear enlargement",
                    number(find(up, {"held_back", "psnr_upsampler"})), number(find(up, {"held_back", "psnr_bilinear"})));
      out += "<p class=\"meta\">Generated at " + fmt_count(number(find(up, {"from_size"}))) + " px, then enlarged to " +
             fmt_count(number(find(up, {"size"}))) + " px by a cascade upsampler trained " +
             fmt_count(number(find(up, {"steps"}))) + " steps on " + fmt_count(number(find(up, {"training_images"}))) +
             " of this class's training slices (" + fmt_seconds(number(find(up, {"seconds"}))) + "). On the " +
             fmt_count(number(find(up, {"held_back_images"}))) + " training slices it never saw, shrunk and enlarged "
             "again, its PSNR is " + psnr + ". It adds the detail a real slice of that look has at full size; what the "
             "slice shows is the GAN's.</p>\n";
      const std::string grid = text(find(up, {"samples_grid"}));
      if (!grid.empty())
        out += "<div class=\"grids\"><figure>" + ctx.run_image(grid, "upsampler on held-back slices", "grid") +
               "<figcaption>held-back training slices, two a row: bilinear from the GAN's size | upsampled | real</figcaption>"
               "</figure></div>\n";
    }
    const std::string csv = text(find(g, {"losses_csv"}));
    if (csv.empty()) {
      out += ctx.notice("loss curves of class \"" + c + "\" not shown: gan." + c + ".losses_csv is missing");
    } else {
      out += ctx.plot("GAN losses, " + c, [&] {
        return plot_loss_curves(read_csv_table(ctx.resolve_run_path(csv)), "GAN losses: " + c);
      }, "plot wide");
    }
    const std::string quality = text(find(g, {"quality_csv"}));
    if (!quality.empty()) {
      out += ctx.plot("sample quality, " + c, [&] {
        return plot_quality_curve(read_csv_table(ctx.resolve_run_path(quality)), "Sample quality by step: " + c);
      }, "plot wide");
      out += "<p class=\"meta\">Scored while training, against this class's training images, in a fixed structure "
             "feature space (8x8 layout, edges, grey levels, spectrum): precision is the share of samples that look like some "
             "training slice, recall the share of training slices that some sample resembles, coverage the share of "
             "training slices with a sample among their nearest neighbours (unlike recall, it does not fall when a generator "
             "that draws near-copies is sampled more). Still rising at the last step means more steps would help.</p>\n";
    }
    out += "<div class=\"grids\">";
    if (const json* real = find(g, {"real_grid"}))
      out += "<figure>" + ctx.run_image(text(real), "real samples, " + c, "grid") + "<figcaption>real training images</figcaption></figure>";
    out += "<figure>" + ctx.run_image(text(find(g, {"samples_grid"})), "generated samples, " + c, "grid") +
           "<figcaption>generated</figcaption></figure></div></div>\n";
  }
  return out + "</section>\n";
}

// Per class: the modes of its real training side (contrast and plane) with the real and generated share of each,
// the missed modes, near twins and the structure space at equal counts, and the per-mode grid (real | generated).
std::string section_quality_modes(ReportContext& ctx, const json* iq, const std::vector<std::string>& classes) {
  std::string out = "<h3>Modes: does each contrast and plane get its share?</h3>\n<p>The modes of each class's real "
                    "training images (k-means on head-masked intensity and shape features, which keep contrast and "
                    "plane), and the share of the generated images assigned to each. A mode is <em>missed</em> when it "
                    "holds 5% or more of the real images and gets less than half that share among the generated ones. "
                    "Near twins: the share of images with another image of the same set at pixel correlation above "
                    "0.93 (32x32), generated at the real count beside real.</p>\n";
  for (const auto& c : classes) {
    const json* q = find(iq, {c.c_str()});
    const json* modes = find(q, {"modes"});
    if (!modes || !modes->is_object()) continue;
    out += "<h4>" + esc(c) + ": " + fmt_count(number(find(modes, {"missed_modes"}))) + " missed mode(s) of " +
           fmt_count(number(find(modes, {"k"}))) + "</h4>\n<table class=\"narrow\"><thead><tr><th>mode</th>"
           "<th class=\"num\">real</th><th class=\"num\">generated</th><th></th></tr></thead><tbody>\n";
    const json* rows = find(modes, {"modes"});
    if (rows && rows->is_array())
      for (const auto& r : *rows) {
        const bool missed = r.value("missed", false);
        out += std::string("<tr") + (missed ? " class=\"warn\"" : "") + "><td>" + fmt_count(number(find(&r, {"mode"}))) +
               "</td><td class=\"num\">" + fmt(100 * number(find(&r, {"real_share"})), 1) + "%</td><td class=\"num\">" +
               fmt(100 * number(find(&r, {"generated_share"})), 1) + "%</td><td>" + (missed ? "missed" : "") + "</td></tr>\n";
      }
    out += "</tbody></table>\n";
    // How surely an image of the generated size can be assigned at all: said beside the counts it qualifies.
    if (const json* agreement = find(modes, {"real_agreement_at_generated_size"})) {
      const double share = number(find(agreement, {"share"}));
      out += std::string("<p class=\"") + (share < 0.75 ? "warning" : "meta") + "\">Fitted on the real images at 128 px. Shrunk to " +
             fmt_count(number(find(agreement, {"size"}))) + " px, the generated images' size, " + fmt(100 * share, 0) +
             "% of the real images keep their mode" +
             (share < 0.75 ? ": at that size a slice's contrast and plane are barely readable, so read the generated "
                             "shares above as partly a guess." : ".") + "</p>\n";
    }
    out += "<p class=\"meta\">Near twins: generated " + fmt(number(find(q, {"near_twins_generated"})), 2) +
           ", real " + fmt(number(find(q, {"near_twins_real"})), 2) + ". Structure space at equal counts, precision / "
           "recall / coverage: " + fmt(number(find(q, {"structure_precision_at_real_count"})), 2) + " / " +
           fmt(number(find(q, {"structure_recall_at_real_count"})), 2) + " / " +
           fmt(number(find(q, {"structure_coverage_at_real_count"})), 2) + " (real halves " +
           fmt(number(find(q, {"structure_precision_halves_real"})), 2) + " / " +
           fmt(number(find(q, {"structure_recall_halves_real"})), 2) + " / " +
           fmt(number(find(q, {"structure_coverage_halves_real"})), 2) + ").</p>\n";
    const std::string grid = text(find(modes, {"grid"}));
    if (!grid.empty())
      out += "<figure>" + ctx.run_image(grid, "modes of " + c + ": real | generated", "modes") + "<figcaption>" +
             esc(c) + ": " + esc(text(find(modes, {"grid_layout"}))) + "</figcaption></figure>\n";
  }
  return out;
}

// With several GAN seeds per class, each seed's headline numbers (image_quality.<class>.gan_seeds): the table above
// and the sections below show the first seed's images only.
std::string quality_by_gan_seed(const json* iq, const std::vector<std::string>& classes) {
  struct Column { const char* key; const char* head; int digits; };
  const Column columns[] = {{"missed_modes", "missed modes", 0},
                            {"near_twins_generated", "near twins", 2},
                            {"near_twins_ratio", "near twins / real", 2},
                            {"structure_precision_at_real_count", "structure P (N vs N)", 2},
                            {"structure_recall_at_real_count", "structure R (N vs N)", 2},
                            {"structure_coverage_at_real_count", "structure coverage (N vs N)", 2},
                            {"memorised_share", "memorised share", 3},
                            {"fid_domain", "FID (domain)", 2}};
  std::string rows;
  for (const auto& c : classes) {
    const json* seeds = find(iq, {c.c_str(), "gan_seeds"});
    if (!seeds || !seeds->is_array()) continue;
    for (const auto& seed : *seeds) {
      rows += "<tr><td>" + esc(c) + "</td><td class=\"num\">" + fmt(number(find(seed, {"gan"})), 0) + "</td>";
      for (const auto& col : columns) rows += "<td class=\"num\">" + fmt(number(find(seed, {col.key})), col.digits) + "</td>";
      rows += "</tr>\n";
    }
  }
  if (rows.empty()) return "";
  std::string out = "<h3>Each GAN seed</h3>\n<p class=\"meta\">The table above and the sections below score the first "
                    "GAN seed's images; here every seed's, each against its class's real training images.</p>\n"
                    "<div class=\"scroll\"><table class=\"dense\"><thead><tr><th>class</th><th class=\"num\">GAN seed</th>";
  for (const auto& col : columns) out += "<th class=\"num\">" + std::string(col.head) + "</th>";
  return out + "</tr></thead><tbody>\n" + rows + "</tbody></table></div>\n";
}

std::string section_image_quality(ReportContext& ctx) {
  std::string out = open_section("quality", "Image quality, diversity and memorisation");
  const json* iq = find(ctx.metrics(), {"image_quality"});
  if (!iq || !iq->is_object()) return out + not_run("image_quality") + "</section>\n";
  struct Column { const char* key; const char* head; const char* tip; int digits; };
  const Column columns[] = {
      {"histogram_w1", "histogram W<sub>1</sub>", "Wasserstein-1 distance between real and generated pixel histograms; lower is closer", 4},
      {"diversity_real", "diversity real", "mean pairwise distance among real training images", 3},
      {"diversity_generated", "diversity generated", "mean pairwise distance among generated images; far below real means mode collapse", 3},
      {"memorisation_max_ssim", "max SSIM to train", "highest SSIM (Wang et al. 2004) between a generated image and its nearest real training image", 3},
      {"memorised_share", "memorised share", "share of generated images whose nearest real image is above the memorisation threshold", 3},
      {"fid_domain", "FID (domain)", "Frechet distance (Heusel et al. 2017) in a domain feature space; not comparable with Inception FID", 2},
      {"kid_domain", "KID (domain)", "kernel inception distance (Binkowski et al. 2018) in the same domain feature space", 4},
      {"precision", "precision (domain)", "share of generated images inside the real manifold (Kynkaanniemi et al. 2019) in the domain feature space; a style-invariant classifier admits textures too", 3},
      {"recall", "recall (domain)", "share of real images covered by the generated manifold (Kynkaanniemi et al. 2019) in the domain feature space", 3},
      {"recall_at_real_count", "recall (domain, N vs N)", "recall with as many generated images as real ones, as Kynkaanniemi et al. measure it: the generated images in chunks of the real count, averaged; with many more generated than real images plain recall falls as near-copies shrink each other's radii", 3},
      {"recall_halves_generated", "recall halves: generated", "share of one half of the real training images inside the manifold of a chunk of generated images as large as the other half, averaged over chunks and both halves: compare with the next column", 3},
      {"recall_halves_real", "recall halves: real", "share of one half of the real training images inside the other half's manifold, both ways averaged: what a generator as varied as the real images would score in the previous column", 3},
      {"coverage", "coverage (domain)", "share of real images with a generated image inside their own nearest-neighbour ball (Naeem et al. 2020) in the domain feature space; unlike recall it does not fall as more samples are drawn", 3},
      {"structure_precision", "precision (structure)", "share of generated images inside the real manifold in the fixed structure feature space (layout, edges, tones, spectrum; no classifier): textures score 0, held-out real slices about 0.9", 3},
      {"structure_recall", "recall (structure)", "share of real images covered by the generated manifold in the structure feature space; its radii come from the generated images, so it falls as more near-copies are drawn", 3},
      {"structure_coverage", "coverage (structure)", "share of real images with a generated image inside their own nearest-neighbour ball (Naeem et al. 2020) in the structure feature space: diversity that does not fall with the sample count; a generator that drew from the real distribution itself would reach 1 - C(N-1, 3) / C(N+M-1, 3) for N real and M generated images (metrics.json: structure_coverage_if_drawn_from_real)", 3}};
  const auto classes = class_names(ctx, iq);
  // Fifteen columns are wider than the page on a laptop: the table scrolls sideways instead of overflowing it.
  out += "<div class=\"scroll\"><table class=\"dense\"><thead><tr><th>class</th>";
  for (const auto& col : columns) out += "<th class=\"num\" title=\"" + esc(col.tip) + "\">" + col.head + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const auto& c : classes) {
    const json* q = find(iq, {c.c_str()});
    if (!q) continue;
    out += "<tr><td>" + esc(c) + "</td>";
    for (const auto& col : columns) out += "<td class=\"num\">" + fmt(number(find(q, {col.key})), col.digits) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n<dl class=\"legend\">";
  for (const auto& col : columns) out += "<dt>" + std::string(col.head) + "</dt><dd>" + esc(col.tip) + "</dd>";
  out += "</dl>\n";
  out += quality_by_gan_seed(iq, classes);

  out += section_quality_modes(ctx, iq, classes);

  out += "<h3>Pixel histograms</h3>\n<div class=\"plots\">\n";
  for (const auto& c : classes) {
    const json* h = find(iq, {c.c_str(), "histogram"});
    if (!h) {
      out += ctx.notice("histogram of class \"" + c + "\" not shown: image_quality." + c + ".histogram is missing");
      continue;
    }
    out += ctx.plot("pixel histogram, " + c, [&] {
      return plot_histograms(numbers(find(h, {"bins"})), numbers(find(h, {"real"})), numbers(find(h, {"generated"})),
                             "Pixel intensities: " + c);
    });
  }
  out += "</div>\n<h3>Closest pairs (memorisation check)</h3>\n<p class=\"meta\">Each generated image beside its most "
         "similar real training image. Near-identical pairs mean the GAN copied rather than generated.</p>\n";
  for (const auto& c : classes) {
    const json* pairs = find(iq, {c.c_str(), "closest_pairs"});
    if (!pairs || !pairs->is_array() || pairs->empty()) continue;
    out += "<h4>" + esc(c) + "</h4><div class=\"pairs\">\n";
    for (const auto& p : *pairs) {
      out += "<figure class=\"pair\"><div class=\"duo\">" +
             ctx.run_image(text(find(p, {"generated"})), "generated", "thumb") +
             ctx.run_image(text(find(p, {"real"})), "closest real", "thumb") +
             "</div><figcaption>generated &middot; closest real<br>SSIM " + fmt(number(find(p, {"ssim"}))) +
             "</figcaption></figure>\n";
    }
    out += "</div>\n";
  }
  return out + "</section>\n";
}

std::string section_classification(ReportContext& ctx) {
  std::string out = open_section("classification", "Does synthetic data help the classifier?");
  const json* cls = find(ctx.metrics(), {"classification"});
  const auto keys = protocol_keys(cls);
  if (keys.empty()) return out + not_run("classification") + "</section>\n";

  const json* shortcut = find(ctx.metrics(), {"audit", "modes", "warnings"});
  if (shortcut && shortcut->is_array() && !shortcut->empty())
    out += "<p class=\"warning\">" + esc("The audit found a mode of contrast or plane that belongs to one class (see "
           "the audit): a classifier can score here by telling the modes apart instead of finding the tumour. " +
           text(&shortcut->front())) + "</p>\n";
  size_t runs = 0;
  for (const auto& k : keys) runs = std::max(runs, numbers(find(cls, {k.c_str(), "accuracy", "runs"})).size());
  const json* model = find(ctx.metrics(), {"study", "classifier", "model"});
  std::string reads;  // the classifiers' architecture and input size, as the study trained them
  if (model && model->is_object() && (*model)["arch"].is_string() && (*model)["image_size"].is_number_integer()) {
    const auto size = std::to_string((*model)["image_size"].get<int>());
    reads = " (" + esc((*model)["arch"].get<std::string>()) + ", every image read at " + size + "&times;" + size + " px)";
  }
  out += "<p>Each protocol trains the same classifier" + reads + " on different training data and is scored on the "
         "same real validation images. Values are the mean and 95% interval" +
         (runs ? " over " + std::to_string(runs) + " runs" : std::string()) +
         "; &Delta; is the paired difference in accuracy against <em>real only</em> (same seeds and splits).</p>\n";
  const char* const metric_keys[] = {"accuracy", "auc", "f1", "sensitivity", "specificity"};
  const char* const metric_heads[] = {"accuracy", "AUC", "F1", "sensitivity", "specificity"};
  out += "<table class=\"protocols\"><thead><tr><th>protocol</th>";
  for (const char* h : metric_heads) out += "<th class=\"num\">" + std::string(h) + "</th>";
  out += "<th class=\"num\">&Delta; accuracy vs real</th></tr></thead><tbody>\n";
  for (const auto& k : keys) {
    out += "<tr><td>" + esc(protocol_label(k)) + "<div class=\"key\">" + esc(k) + "</div></td>";
    for (const char* mk : metric_keys) out += "<td class=\"num\">" + fmt_estimate(find(cls, {k.c_str(), mk})) + "</td>";
    const json* delta = find(cls, {k.c_str(), "delta_vs_real", "accuracy"});
    if (k == "real") out += "<td class=\"num\">reference</td>";
    else out += "<td class=\"num " + verdict_class(delta) + "\">" + fmt_estimate(delta) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";

  std::vector<IntervalRow> accuracy_rows, delta_rows;
  for (const auto& k : keys) {
    const json* acc = find(cls, {k.c_str(), "accuracy"});
    const auto ci = numbers(find(acc, {"ci95"}));
    if (acc && ci.size() == 2) accuracy_rows.push_back({protocol_label(k), number(find(acc, {"mean"})), ci[0], ci[1]});
    const json* delta = find(cls, {k.c_str(), "delta_vs_real", "accuracy"});
    const auto dci = numbers(find(delta, {"ci95"}));
    if (delta && dci.size() == 2) delta_rows.push_back({protocol_label(k), number(find(delta, {"mean"})), dci[0], dci[1]});
  }
  out += "<div>\n";
  if (!accuracy_rows.empty())
    out += "<h3>Accuracy per protocol</h3>" + ctx.plot("accuracy per protocol", [&] { return plot_intervals(accuracy_rows, "validation accuracy (mean, 95% interval)", std::nan("")); }, "plot wide");
  if (!delta_rows.empty())
    out += "<h3>Paired difference against real only</h3>" + ctx.plot("paired difference vs real", [&] { return plot_intervals(delta_rows, "accuracy minus real-only accuracy (paired, 95% interval)", 0.0); }, "plot wide");
  out += "</div>\n";

  std::vector<RocCurve> curves;
  for (const auto& k : keys) {
    const json* roc = find(cls, {k.c_str(), "roc"});
    if (!roc) continue;
    const double auc = number(find(cls, {k.c_str(), "auc", "mean"}));
    curves.push_back({protocol_label(k) + (std::isfinite(auc) ? " (AUC " + fmt(auc, 3) + ")" : ""),
                      numbers(find(roc, {"fpr"})), numbers(find(roc, {"tpr"}))});
  }
  out += "<div class=\"roc-confusion\"><div>\n<h3>ROC curves</h3>\n";
  out += curves.empty() ? "<p class=\"notrun\">Not run: no protocol has a <code>roc</code> curve.</p>\n"
                        : ctx.plot("ROC curves", [&] { return plot_roc_curves(curves, "ROC on the validation set"); }, "plot square");
  out += "</div><div>\n<h3>Confusion matrices</h3>\n<div class=\"confusions\">\n";
  bool any_confusion = false;
  for (const auto& k : keys) {
    const json* cm = find(cls, {k.c_str(), "confusion"});
    if (!cm) continue;
    any_confusion = true;
    const double tp = number(find(cm, {"tp"})), fp = number(find(cm, {"fp"})), tn = number(find(cm, {"tn"})),
                 fn = number(find(cm, {"fn"}));
    const double pos = tp + fn, neg = tn + fp;
    // Cell shade = share of its true class, so the diagonal darkens as the classifier improves.
    auto cell = [](double n, double row_total, bool correct) {
      const double share = row_total > 0 ? n / row_total : 0;
      char style[96];
      std::snprintf(style, sizeof style, "background: rgba(%s, %.2f)", correct ? "59,111,182" : "196,78,82", 0.08 + 0.6 * share);
      return "<td class=\"num\" style=\"" + std::string(style) + "\">" + fmt_count(n) + "<span class=\"share\">" +
             fmt(100 * share, 0) + "%</span></td>";
    };
    out += "<table class=\"confusion\"><caption>" + esc(protocol_label(k)) +
           "</caption><thead><tr><th></th><th>pred. +</th><th>pred. &minus;</th></tr></thead><tbody>"
           "<tr><th>actual +</th>" + cell(tp, pos, true) + cell(fn, pos, false) + "</tr>"
           "<tr><th>actual &minus;</th>" + cell(fp, neg, false) + cell(tn, neg, true) + "</tr></tbody></table>\n";
  }
  if (!any_confusion) out += "<p class=\"notrun\">Not run: no protocol has a <code>confusion</code> matrix.</p>\n";
  out += "</div>\n";
  if (const json* positive = find(ctx.metrics(), {"classification_positive_class"}))
    out += "<p class=\"meta\">Positive class: " + esc(text(positive)) + ".</p>\n";
  out += "</div></div>\n";
  return out + "</section>\n";
}

std::string section_external(ReportContext& ctx) {
  std::string out = open_section("external", "External validation: does it hold on another source's images?");
  const json* external = find(ctx.metrics(), {"external"});
  if (!external || !external->is_object() || external->empty())
    return out + "<p class=\"notrun\">Not run: no external set was given (<code>osgan pipeline --external DIR</code>, or "
                 "<code>osgan evaluate-study --run RUN --data DIR</code> after a run).</p>\n</section>\n";
  const json* validation = find(ctx.metrics(), {"classification"});
  out += "<p>The study's classifiers, unchanged (same weights, same preprocessing), tested on labelled images from "
         "another source. These images were never used for training, tuning or selection. A difference between the "
         "two columns is the price of moving to another hospital's scanner and protocol.</p>\n";
  for (const auto& item : external->items()) {
    const std::string name = item.key();  // a plain variable: lambdas cannot capture structured bindings in C++17
    const json& set = item.value();
    const json* info = find(ctx.metrics(), {"external_sets", name.c_str()});
    out += "<h3>" + esc(name) + "</h3>\n";
    if (info)
      out += "<p class=\"meta\">" + fmt_count(number(find(info, {"images"}))) + " images, " +
             fmt_count(number(find(info, {"positives"}))) + " positive; " + esc(text(find(info, {"data"}))) + "</p>\n";
    const auto keys = protocol_keys(&set);
    out += "<table class=\"protocols\"><thead><tr><th>protocol</th><th class=\"num\">AUC, validation</th>"
           "<th class=\"num\">AUC, external</th><th class=\"num\">accuracy, validation</th><th class=\"num\">accuracy, "
           "external</th><th class=\"num\">sensitivity, external</th><th class=\"num\">specificity, external</th>"
           "<th class=\"num\">&Delta; accuracy vs real, external</th></tr></thead><tbody>\n";
    std::vector<IntervalRow> rows;
    std::vector<std::string> findings;
    for (const auto& k : keys) {
      const char* key = k.c_str();
      out += "<tr><td>" + esc(protocol_label(k)) + "<div class=\"key\">" + esc(k) + "</div></td>";
      out += "<td class=\"num\">" + fmt_estimate(find(validation, {key, "auc"})) + "</td>";
      out += "<td class=\"num\">" + fmt_estimate(find(&set, {key, "auc"})) + "</td>";
      out += "<td class=\"num\">" + fmt_estimate(find(validation, {key, "accuracy"})) + "</td>";
      out += "<td class=\"num\">" + fmt_estimate(find(&set, {key, "accuracy"})) + "</td>";
      out += "<td class=\"num\">" + fmt_estimate(find(&set, {key, "sensitivity"})) + "</td>";
      out += "<td class=\"num\">" + fmt_estimate(find(&set, {key, "specificity"})) + "</td>";
      const json* delta = find(&set, {key, "delta_vs_real", "accuracy"});
      if (k == "real") out += "<td class=\"num\">reference</td>";
      else out += "<td class=\"num " + verdict_class(delta) + "\">" + fmt_estimate(delta) + "</td>";
      out += "</tr>\n";

      for (const auto& [side, source] : {std::pair<const char*, const json*>{"validation", validation}, {"external", &set}}) {
        const json* acc = find(source, {key, "accuracy"});
        const auto ci = numbers(find(acc, {"ci95"}));
        if (acc && ci.size() == 2)
          rows.push_back({protocol_label(k) + ", " + side, number(find(acc, {"mean"})), ci[0], ci[1]});
      }
      // Plain words for what a reader must not miss.
      const double val_acc = number(find(validation, {key, "accuracy", "mean"}));
      const double ext_acc = number(find(&set, {key, "accuracy", "mean"}));
      if (std::isfinite(val_acc) && std::isfinite(ext_acc) && val_acc - ext_acc > 0.05)
        findings.push_back(protocol_label(k) + ": accuracy falls from " + fmt(val_acc) + " on the validation side to " +
                           fmt(ext_acc) + " on " + name + "; part of what these classifiers learned belongs to the "
                           "development dataset, not to tumours.");
      const json* val_delta = find(validation, {key, "delta_vs_real", "accuracy"});
      if (k != "real" && verdict_class(val_delta) == "better" && verdict_class(delta) != "better")
        findings.push_back("The gain of " + protocol_label(k) + " over real only on the validation side (" +
                           fmt(number(find(val_delta, {"mean"}))) + ") does not hold on " + name + " (" +
                           fmt(number(find(delta, {"mean"}))) + ", 95% interval " +
                           (verdict_class(delta) == "worse" ? "below 0" : "includes 0") + ").");
    }
    out += "</tbody></table>\n";
    if (!findings.empty()) {
      out += "<ul class=\"findings\">\n";
      for (const auto& f : findings) out += "<li>" + esc(f) + "</li>\n";
      out += "</ul>\n";
    }
    if (!rows.empty())
      out += ctx.plot("accuracy, validation and " + name, [&] {
        return plot_intervals(rows, "accuracy on the validation side and on " + name + " (mean, 95% interval)", std::nan(""));
      }, "plot wide");
  }
  return out + "</section>\n";
}

namespace {

// The sweep's ratio keys in x-axis order: numbers ascending, any other key, then "all" (every generated image).
std::vector<std::string> ratio_keys(const json& sweep) {
  struct Key { int group; double value; std::string key; };
  std::vector<Key> keys;
  for (const auto& item : sweep.items()) {
    if (!item.value().is_object()) continue;
    const std::string& k = item.key();
    char* end = nullptr;
    const double v = std::strtod(k.c_str(), &end);
    const bool numeric = !k.empty() && *end == '\0' && std::isfinite(v);
    keys.push_back({k == "all" ? 2 : numeric ? 0 : 1, numeric ? v : 0.0, k});
  }
  std::stable_sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return a.group != b.group ? a.group < b.group : a.value < b.value;
  });
  std::vector<std::string> out;
  for (const auto& k : keys) out.push_back(k.key);
  return out;
}

// Filters in a fixed order ("none", "nearest"), then any other the sweep names.
std::vector<std::string> ratio_filters(const json& sweep) {
  std::vector<std::string> filters = {"none", "nearest"};
  for (const auto& point : sweep.items())
    if (point.value().is_object())
      for (const auto& f : point.value().items())
        if (std::find(filters.begin(), filters.end(), f.key()) == filters.end()) filters.push_back(f.key());
  std::vector<std::string> present;
  for (const auto& f : filters)
    for (const auto& point : sweep.items())
      if (find(&point.value(), {f.c_str()})) {
        present.push_back(f);
        break;
      }
  return present;
}

std::string ratio_filter_label(const std::string& filter) {
  if (filter == "none") return "first in file order";
  if (filter == "nearest") return "nearest to the real images";
  return filter;
}

bool is_zero_ratio(const std::string& key) {
  char* end = nullptr;
  const double v = std::strtod(key.c_str(), &end);
  return !key.empty() && *end == '\0' && v == 0.0;
}

// The point a filter's line passes through at `ratio`. At 0 and "all" a filter has nothing to choose (no image, or
// every image), so a filter without its own entry there borrows "none"'s and the lines meet at both ends.
const json* ratio_point(const json* sweep, const std::string& ratio, const std::string& filter) {
  if (const json* own = find(sweep, {ratio.c_str(), filter.c_str()})) return own;
  if (ratio == "all" || is_zero_ratio(ratio)) return find(sweep, {ratio.c_str(), "none"});
  return nullptr;
}

// "all (700/class)" when every class got the same count; "all" otherwise.
std::string ratio_axis_label(const json* sweep, const std::string& ratio) {
  if (ratio != "all") return ratio;
  const json* counts = find(sweep, {"all", "none", "synthetic_per_class"});
  double same = std::nan("");
  if (counts && counts->is_object())
    for (const auto& c : counts->items()) {
      const double v = number(&c.value());
      if (!std::isfinite(v) || (std::isfinite(same) && v != same)) return "all";
      same = v;
    }
  return std::isfinite(same) ? "all (" + fmt_count(same) + "/class)" : "all";
}

RatioSeries delta_auc_series(const json* sweep, const std::vector<std::string>& ratios, const std::string& filter) {
  RatioSeries s{ratio_filter_label(filter), {}, {}, {}};
  for (const auto& r : ratios) {
    const json* delta = find(ratio_point(sweep, r, filter), {"delta_vs_real", "auc"});
    const auto ci = numbers(find(delta, {"ci95"}));
    s.mean.push_back(number(find(delta, {"mean"})));
    s.lo.push_back(ci.size() == 2 ? ci[0] : std::nan(""));
    s.hi.push_back(ci.size() == 2 ? ci[1] : std::nan(""));
  }
  return s;
}

std::string per_class_counts(const json* counts) {
  if (!counts || !counts->is_object() || counts->empty()) return "&ndash;";
  std::string out;
  for (const auto& c : counts->items())
    out += (out.empty() ? "" : " &middot; ") + esc(c.key()) + " " + fmt_count(number(&c.value()));
  return out;
}

}  // namespace

std::string section_ratio(ReportContext& ctx) {
  std::string out = open_section("ratio", "How many synthetic images?");
  const json* validation = find(ctx.metrics(), {"classification", "ratio"});
  if (!validation || !validation->is_object() || validation->empty())
    return out + "<p class=\"notrun\">Not run: metrics.json has no <code>classification.ratio</code> section (set "
                 "<code>study.ratios</code> and <code>study.ratio_filters</code> in the config to run the sweep).</p>\n"
                 "</section>\n";
  // The external sets that ran the sweep too, in metrics.json order.
  std::vector<std::pair<std::string, const json*>> externals;
  if (const json* external = find(ctx.metrics(), {"external"}); external && external->is_object())
    for (const auto& item : external->items())
      if (const json* sweep = find(&item.value(), {"ratio"}); sweep && sweep->is_object() && !sweep->empty())
        externals.emplace_back(item.key(), sweep);

  const auto ratios = ratio_keys(*validation);
  const auto filters = ratio_filters(*validation);
  std::vector<std::string> x_labels;
  for (const auto& r : ratios) x_labels.push_back(ratio_axis_label(validation, r));
  out += "<p>Each point adds, per class, a number of generated images to the real training images: x is that number "
         "as a multiple of the class's real training images, and <em>all</em> is every generated image. Plotted is "
         "the paired difference in AUC against <em>real only</em> (same seeds and splits), mean and 95% interval, one "
         "line per filter: <em>first in file order</em>, or the generated images <em>nearest to the real</em> "
         "training images in the structure feature space. At 0 and <em>all</em> a filter has nothing to choose, so "
         "the lines meet there.</p>\n";

  std::vector<std::pair<std::string, const json*>> sides = {{"Validation side", validation}};
  for (const auto& [name, sweep] : externals) sides.emplace_back("External: " + name, sweep);
  for (size_t i = 0; i < sides.size(); i += 2) {  // two plots per row
    out += "<div class=\"two\">";
    for (size_t j = i; j < std::min(i + 2, sides.size()); ++j) {
      const std::string title = sides[j].first;
      const json* sweep = sides[j].second;
      std::vector<RatioSeries> series;
      for (const auto& f : filters) series.push_back(delta_auc_series(sweep, ratios, f));
      out += "<div>" + ctx.plot("AUC difference by synthetic image count, " + title, [&] {
        return plot_ratio_sweep(series, x_labels, "\u0394AUC vs real only (paired)", title);
      }) + "</div>";
    }
    out += "</div>\n";
  }

  out += "<table class=\"protocols\"><thead><tr><th>synthetic : real</th><th>filter</th><th>synthetic images per "
         "class</th><th class=\"num\">AUC, validation</th><th class=\"num\">&Delta; AUC vs real, validation</th>";
  for (const auto& [name, sweep] : externals) out += "<th class=\"num\">&Delta; AUC vs real, " + esc(name) + "</th>";
  out += "</tr></thead><tbody>\n";
  auto delta_cell = [](const std::string& ratio, const json* point) {
    if (is_zero_ratio(ratio)) return std::string("<td class=\"num\">reference</td>");  // real only itself
    const json* delta = find(point, {"delta_vs_real", "auc"});
    // No colour for a dash: an interval without its mean is no verdict.
    const std::string verdict = std::isfinite(number(find(delta, {"mean"}))) ? verdict_class(delta) : "neutral";
    return "<td class=\"num " + verdict + "\">" + fmt_estimate(delta) + "</td>";
  };
  for (const auto& r : ratios)
    for (const auto& f : filters) {
      const json* point = find(validation, {r.c_str(), f.c_str()});
      if (!point) continue;  // the table lists measured points only, no borrowed ends
      // At 0 nothing is added and "all" adds every image: no filter chose anything there.
      const std::string label = is_zero_ratio(r) ? "none added" : r == "all" ? "every generated image" : ratio_filter_label(f);
      out += "<tr><td>" + esc(r) + "</td><td>" + esc(label) + "<div class=\"key\">" +
             esc(text(find(point, {"protocol"}))) + "</div></td><td class=\"nowrap\">" +
             per_class_counts(find(point, {"synthetic_per_class"})) + "</td><td class=\"num\">" +
             fmt_estimate(find(point, {"auc"})) + "</td>" + delta_cell(r, point);
      for (const auto& [name, sweep] : externals) out += delta_cell(r, find(sweep, {r.c_str(), f.c_str()}));
      out += "</tr>\n";
    }
  out += "</tbody></table>\n";
  return out + "</section>\n";
}

std::string section_environment(ReportContext& ctx) {
  std::string out = open_section("environment", "Environment and timings");
  out += "<div class=\"two\"><div>";
  const json* env = find(ctx.metrics(), {"environment"});
  if (!env || !env->is_object()) {
    out += not_run("environment");
  } else {
    out += "<table class=\"kv\"><tbody>\n";
    for (const auto& [k, v] : env->items()) out += "<tr><th>" + esc(k) + "</th><td>" + esc(text(&v)) + "</td></tr>\n";
    out += "</tbody></table>\n";
  }
  out += "</div><div>";
  const json* timing = find(ctx.metrics(), {"timing"});
  if (!timing || !timing->is_object()) {
    out += not_run("timing");
  } else {
    double total = 0;
    for (const auto& [k, v] : timing->items())
      if (std::isfinite(number(find(v, {"seconds"})))) total += number(find(v, {"seconds"}));
    out += "<table class=\"kv\"><thead><tr><th>stage</th><th class=\"num\">time</th><th class=\"num\">share</th></tr></thead><tbody>\n";
    // Pipeline order, not the alphabetical order of the JSON object.
    static const std::vector<std::string> kStages = {"audit", "split", "gan", "generate", "classification", "image_quality", "report"};
    std::vector<std::string> stages;
    for (const auto& [k, v] : timing->items()) stages.push_back(k);
    auto rank = [](const std::string& k) { return std::find(kStages.begin(), kStages.end(), k) - kStages.begin(); };
    std::stable_sort(stages.begin(), stages.end(), [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    for (const auto& k : stages) {
      const json& v = (*timing)[k];
      const double s = number(find(v, {"seconds"}));
      out += "<tr><th>" + esc(k) + "</th><td class=\"num\">" + fmt_seconds(s) + "</td><td class=\"num\">" +
             (total > 0 ? fmt(100 * s / total, 0) + "%" : "&ndash;") + "</td></tr>\n";
    }
    out += "<tr class=\"total\"><th>total</th><td class=\"num\">" + fmt_seconds(total) + "</td><td></td></tr></tbody></table>\n";
  }
  out += "</div></div>\n";
  return out + "</section>\n";
}

std::string section_caveats(ReportContext& ctx) {
  const json& m = ctx.metrics();
  std::string out = open_section("caveats", "Caveats: read before citing any number");
  out += "<ul class=\"caveats\">\n";
  const json* outliers = find(m, {"audit", "outliers"});
  const size_t n_outliers = outliers && outliers->is_array() ? outliers->size() : 0;
  out += "<li><strong>Mixed modalities.</strong> Public brain-MRI sets contain CT slices filed as &ldquo;normal&rdquo; "
         "(the shared set has at least 10). A classifier can learn &ldquo;CT means normal&rdquo; instead of the tumour. "
         "The audit flagged " + std::to_string(n_outliers) + " outlier(s) in this run.</li>\n";
  const json* pairs = find(m, {"audit", "near_duplicate_pairs"});
  const size_t n_pairs = pairs && pairs->is_array() ? pairs->size() : 0;
  out += "<li><strong>Near duplicates.</strong> " + std::to_string(n_pairs) + " near-duplicate pair(s) were flagged. "
         "Augmented copies of one slice on both sides of the split make validation scores optimistic.</li>\n";
  out += "<li><strong>Domain feature space.</strong> FID and KID are computed in a feature space of this domain, not "
         "Inception-v3 features, so they rank runs of this project but are not comparable with published FIDs.</li>\n";
  out += "<li><strong>Small validation set.</strong> Intervals come from repeated runs on one split; they do not cover "
         "the variation between hospitals, scanners or patients. No patient IDs exist, so slices of one patient may sit "
         "in both parts.</li>\n";
  out += "<li><strong>Not a medical device.</strong> This is a research measurement of whether synthetic images help a "
         "classifier, not a diagnostic tool.</li>\n";
  if (const json* extra = find(m, {"caveats"}); extra && extra->is_array())
    for (const auto& c : *extra) out += "<li>" + esc(c.is_string() ? c.get<std::string>() : c.dump()) + "</li>\n";
  out += "</ul>\n";
  return out + "</section>\n";
}

}  // namespace osgan::report
