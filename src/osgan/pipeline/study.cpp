#include "osgan/pipeline/study.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include "osgan/core/atomic_file.h"
#include "osgan/core/duration.h"
#include "osgan/core/error.h"
#include "osgan/core/hash.h"
#include "osgan/core/log.h"
#include "osgan/core/work_queue_eta.h"
#include "osgan/data/split.h"
#include "osgan/metrics/classification.h"
#include "osgan/report/ratio_protocol.h"
#include "osgan/pipeline/synthetic_filter.h"
#include "osgan/runtime/device.h"
#include "osgan/train/classifier_checkpoint.h"
#include "osgan/train/classifier_evaluation.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace osgan {
namespace {

const std::vector<std::string> kMetricNames = {"accuracy", "auc", "f1", "sensitivity", "specificity"};

bool uses_real(const std::string& protocol) { return protocol.rfind("real", 0) == 0; }
bool uses_synthetic(const std::string& protocol) { return protocol.find("synthetic") != std::string::npos; }
bool uses_classical(const std::string& protocol) { return protocol.find("classical") != std::string::npos; }

// The training set by content (pixels and labels): a retrained GAN, or its files read another way, changes what a
// classifier learns from while the image count stays the same, so a saved run must not be reused then.
std::string content_sha256(const LabelledImages& set) {
  std::string bytes;
  for (const auto& t : {set.images, set.labels}) {
    if (!t.defined()) continue;
    const auto c = t.to(torch::kCPU).contiguous();
    bytes.append(static_cast<const char*>(c.data_ptr()), static_cast<size_t>(c.numel()) * c.element_size());
  }
  return sha256_hex(bytes);
}

// Every metric of one run, computed on the chosen validation images (indices may repeat: a bootstrap resample).
std::map<std::string, double> run_metrics(const std::vector<double>& p, const std::vector<int>& labels,
                                          const std::vector<std::size_t>& idx, double threshold) {
  std::vector<double> ps;
  std::vector<int> ls;
  ps.reserve(idx.size());
  ls.reserve(idx.size());
  for (auto i : idx) {
    ps.push_back(p[i]);
    ls.push_back(labels[i]);
  }
  const auto cm = metrics::compute_confusion_matrix(ps, ls, threshold);
  const double n = static_cast<double>(idx.size());
  auto ratio = [](double a, double b) { return b > 0 ? a / b : std::nan(""); };
  return {{"accuracy", ratio(cm.tp + cm.tn, n)},
          {"auc", metrics::compute_roc_auc(ps, ls)},
          {"f1", metrics::compute_f1(cm)},
          {"sensitivity", ratio(cm.tp, cm.tp + cm.fn)},
          {"specificity", ratio(cm.tn, cm.tn + cm.fp)}};
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  int n = 0;
  for (double x : v)
    if (!std::isnan(x)) { s += x; ++n; }
  return n ? s / n : std::nan("");
}

}  // namespace

std::pair<double, double> percentile_interval(std::vector<double> v, double confidence) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return {std::nan(""), std::nan("")};
  std::sort(v.begin(), v.end());
  auto q = [&](double f) {
    const double pos = f * (v.size() - 1);
    const auto i = static_cast<std::size_t>(std::floor(pos));
    const auto j = std::min(i + 1, v.size() - 1);
    return v[i] + (pos - i) * (v[j] - v[i]);
  };
  const double alpha = (1 - confidence) / 2;
  return {q(alpha), q(1 - alpha)};
}

namespace {

json nan_to_null(double x) { return std::isnan(x) ? json(nullptr) : json(x); }

}  // namespace

fs::path study_run_folder(const std::string& protocol, int gan, std::uint64_t seed) {
  const std::string run = "seed_" + std::to_string(seed);
  return fs::path(protocol) / (gan > 1 ? "gan" + std::to_string(gan) + "_" + run : run);
}

std::vector<std::string> study_protocol_names() {
  return {"real", "real_classical", "synthetic", "real_synthetic", "real_synthetic_classical"};
}

json summarize_study(const std::vector<int>& labels, const std::vector<StudyRun>& runs, int bootstrap_resamples,
                     std::uint64_t seed, double threshold) {
  const std::size_t n = labels.size();
  if (n == 0) fail(ErrorCode::invalid_argument, "summarize_study: no validation images");
  std::map<std::string, std::vector<const StudyRun*>> by_protocol;
  for (const auto& r : runs) {
    if (r.probabilities.size() != n)
      fail(ErrorCode::invalid_argument, "summarize_study: run " + r.protocol + "/" + std::to_string(r.seed) + " has " +
           std::to_string(r.probabilities.size()) + " predictions, expected " + std::to_string(n));
    by_protocol[r.protocol].push_back(&r);
  }
  // Runs in GAN-seed, then seed order: the "runs" lists follow "seeds" (within each GAN seed), and the bootstrap
  // pairs runs by seed across protocols.
  for (auto& [protocol, rs] : by_protocol)
    std::sort(rs.begin(), rs.end(), [](const StudyRun* a, const StudyRun* b) {
      return std::tie(a->gan, a->seed) < std::tie(b->gan, b->seed);
    });
  // Each protocol's runs as a grid: one row per GAN seed (a single row without generated images), one column per
  // classifier seed; every row must have the same seeds.
  std::map<std::string, std::vector<std::vector<const StudyRun*>>> grid;
  for (const auto& [protocol, rs] : by_protocol) {
    auto& rows = grid[protocol];
    for (const auto* r : rs) {
      if (rows.empty() || rows.back().front()->gan != r->gan) rows.emplace_back();
      rows.back().push_back(r);
    }
    for (const auto& row : rows) {
      bool same = row.size() == rows.front().size();
      for (std::size_t k = 0; same && k < row.size(); ++k) same = row[k]->seed == rows.front()[k]->seed;
      if (!same)
        fail(ErrorCode::invalid_argument, "summarize_study: protocol " + protocol + " has other classifier seeds for "
             "GAN seed " + std::to_string(row.front()->gan) + " than for GAN seed " + std::to_string(rows.front().front()->gan));
    }
  }
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), 0);

  // Point estimates: each run on every validation image, then the mean over runs.
  json out = json::object();
  std::map<std::string, std::map<std::string, std::vector<double>>> per_run;  // protocol -> metric -> runs
  for (const auto& [protocol, rs] : by_protocol) {
    for (const auto* r : rs)
      for (const auto& [name, value] : run_metrics(r->probabilities, labels, all, threshold))
        per_run[protocol][name].push_back(value);
  }

  // Two-level bootstrap (three with several GAN seeds): resample the validation images, the GAN seeds and the
  // classifier seeds. Each level is shared by the protocols within one resample, which pairs the differences against
  // "real": the same images, and the same classifier seeds (run k of every protocol with the same seed list starts
  // from the same initial weights and data order). With one GAN seed nothing is drawn for that level.
  std::mt19937_64 rng(seed);
  std::map<std::string, std::map<std::string, std::vector<double>>> boot;        // protocol -> metric -> samples
  std::map<std::string, std::map<std::string, std::vector<double>>> boot_delta;  // vs real
  std::vector<std::size_t> idx(n);
  for (int b = 0; b < bootstrap_resamples; ++b) {
    std::uniform_int_distribution<std::size_t> pick_image(0, n - 1);
    for (auto& i : idx) i = pick_image(rng);
    std::map<std::string, std::map<std::string, double>> means;
    std::map<std::vector<std::uint64_t>, std::vector<std::size_t>> picks_by_seeds;  // seed list -> drawn positions
    std::map<std::size_t, std::vector<std::size_t>> picks_by_gans;                   // GAN seed count -> drawn rows
    for (const auto& [protocol, rows] : grid) {
      std::vector<std::uint64_t> seeds;
      for (const auto* r : rows.front()) seeds.push_back(r->seed);
      auto [drawn, first_time] = picks_by_seeds.try_emplace(seeds);
      if (first_time) {
        std::uniform_int_distribution<std::size_t> pick_run(0, seeds.size() - 1);
        for (std::size_t k = 0; k < seeds.size(); ++k) drawn->second.push_back(pick_run(rng));
      }
      std::vector<std::size_t> gan_rows = {0};
      if (rows.size() > 1) {
        auto [drawn_gans, first] = picks_by_gans.try_emplace(rows.size());
        if (first) {
          std::uniform_int_distribution<std::size_t> pick_gan(0, rows.size() - 1);
          for (std::size_t g = 0; g < rows.size(); ++g) drawn_gans->second.push_back(pick_gan(rng));
        }
        gan_rows = drawn_gans->second;
      }
      std::map<std::string, std::vector<double>> values;
      for (auto g : gan_rows)
        for (auto k : drawn->second)
          for (const auto& [name, v] : run_metrics(rows[g][k]->probabilities, labels, idx, threshold))
            values[name].push_back(v);
      for (const auto& [name, vs] : values) {
        means[protocol][name] = mean_of(vs);
        boot[protocol][name].push_back(means[protocol][name]);
      }
    }
    if (means.count("real"))
      for (const auto& [protocol, m] : means)
        for (const auto& [name, v] : m) boot_delta[protocol][name].push_back(v - means["real"][name]);
  }

  for (const auto& [protocol, metrics] : per_run) {
    json p;
    for (const auto& name : kMetricNames) {
      const auto& values = metrics.at(name);
      const auto [lo, hi] = percentile_interval(boot[protocol][name]);
      json runs_json = json::array();
      for (double v : values) runs_json.push_back(nan_to_null(v));
      p[name] = {{"mean", nan_to_null(mean_of(values))}, {"ci95", {nan_to_null(lo), nan_to_null(hi)}}, {"runs", runs_json}};
    }
    if (per_run.count("real") && protocol != "real") {
      for (const auto& name : kMetricNames) {
        const auto [lo, hi] = percentile_interval(boot_delta[protocol][name]);
        p["delta_vs_real"][name] = {{"mean", nan_to_null(mean_of(per_run[protocol][name]) - mean_of(per_run["real"][name]))},
                                    {"ci95", {nan_to_null(lo), nan_to_null(hi)}}};
      }
    }
    // ROC curve and confusion matrix of the first seed's run (the report shows one representative run).
    const auto* first = by_protocol[protocol].front();
    const auto roc = metrics::compute_roc_curve(first->probabilities, labels);
    p["roc"] = {{"fpr", roc.fpr}, {"tpr", roc.tpr}, {"seed", first->seed}};
    const auto cm = metrics::compute_confusion_matrix(first->probabilities, labels, threshold);
    p["confusion"] = {{"tp", cm.tp}, {"fp", cm.fp}, {"tn", cm.tn}, {"fn", cm.fn}, {"seed", first->seed}};
    p["train_images"] = first->train_images;
    p["seeds"] = json::array();
    for (const auto* r : grid[protocol].front()) p["seeds"].push_back(r->seed);
    if (grid[protocol].size() > 1) {  // every classifier seed once per GAN seed: "runs" lists them GAN seed by GAN seed
      p["gan_seeds"] = json::array();
      for (const auto& row : grid[protocol]) p["gan_seeds"].push_back(row.front()->gan);
    }
    out[protocol] = p;
  }
  return out;
}

json run_study(const StudyOptions& options, const data::PreprocessOptions& preprocess) {
  for (const auto& p : options.protocols) {
    const auto names = study_protocol_names();
    if (std::find(names.begin(), names.end(), p) == names.end() && !parse_ratio_protocol(p))
      fail(ErrorCode::invalid_argument, "study: unknown protocol \"" + p + "\" (known: real, real_classical, synthetic, "
           "real_synthetic, real_synthetic_classical, and real_synthetic_r<ratio>_<none|nearest>)");
  }
  if (options.seeds.empty()) fail(ErrorCode::invalid_argument, "study: expected at least one seed");

  data::DatasetOptions dataset_options;
  dataset_options.preprocess = preprocess;
  const auto dataset = data::load_dataset(options.data, dataset_options);
  const auto split = data::read_split(options.split);
  const auto train_real = labelled_from_dataset(dataset, data::select_samples(dataset, split, data::Side::train),
                                                options.positive_class);
  const auto val = labelled_from_dataset(dataset, data::select_samples(dataset, split, data::Side::val),
                                         options.positive_class);
  const std::string negative_class =
      dataset.classes[0] == options.positive_class ? dataset.classes[1] : dataset.classes[0];
  const std::vector<std::string> classes = {negative_class, options.positive_class};

  // Each class's generated images (its pool) per GAN seed, and all of them together for the standard protocols.
  const bool need_synthetic = std::any_of(options.protocols.begin(), options.protocols.end(), uses_synthetic);
  const int gan_seeds = need_synthetic ? static_cast<int>(options.synthetic.size()) : 0;
  if (need_synthetic && gan_seeds == 0) fail(ErrorCode::invalid_argument, "study: no synthetic image folders");
  std::vector<std::map<std::string, LabelledImages>> pool(gan_seeds);
  std::vector<LabelledImages> synthetic(gan_seeds);
  for (int g = 0; g < gan_seeds; ++g) {
    for (const auto& cls : classes) {
      auto it = options.synthetic[g].find(cls);
      if (it == options.synthetic[g].end())
        fail(ErrorCode::invalid_argument, "study: no synthetic image folder for class \"" + cls + "\"");
      pool[g][cls] = load_labelled_folder(it->second, cls == options.positive_class ? 1 : 0, preprocess, "synthetic:" + cls);
      synthetic[g] = concat(synthetic[g], pool[g][cls]);
    }
  }
  // The generated images each protocol adds per GAN seed: all of them, none, or a point of the ratio sweep's choice.
  std::vector<std::map<std::string, LabelledImages>> added(gan_seeds);
  json synthetic_per_class = json::object();
  for (const auto& protocol : options.protocols) {
    json counts = json::object();
    for (const auto& cls : classes) counts[cls] = 0;
    for (int g = 0; g < gan_seeds; ++g) {
      if (const auto point = parse_ratio_protocol(protocol)) {
        LabelledImages chosen;
        for (const auto& cls : classes) {
          const auto real_of_class = with_label(train_real, cls == options.positive_class);
          const auto count = static_cast<int64_t>(std::llround(point->ratio * static_cast<double>(real_of_class.size())));
          try {
            chosen = concat(chosen, subset(pool[g][cls], select_synthetic(pool[g][cls].images, real_of_class.images,
                                                                          count, point->filter)));
          } catch (const Error& e) {
            fail(e.code(), "study: " + protocol + ", class \"" + cls + "\": " + e.what());
          }
          counts[cls] = count;
        }
        added[g][protocol] = chosen;
      } else {
        for (const auto& cls : classes) counts[cls] = uses_synthetic(protocol) ? pool[g][cls].size() : 0;
        if (uses_synthetic(protocol)) added[g][protocol] = synthetic[g];
      }
    }
    synthetic_per_class[protocol] = counts;
  }
  std::vector<int> labels(val.size());
  for (int64_t i = 0; i < val.size(); ++i) labels[i] = val.labels[i].item<float>() > 0.5f ? 1 : 0;

  const std::string val_sha256 = content_sha256(val);
  std::vector<StudyRun> runs;
  const auto device = parse_device(options.classifier.device);
  auto gans_of = [&](const std::string& protocol) {  // the GAN seeds whose images it trains on (1-based), or none
    std::vector<int> gans = {0};
    if (uses_synthetic(protocol)) {
      gans.clear();
      for (int g = 1; g <= gan_seeds; ++g)
        if (options.gans.empty() || std::find(options.gans.begin(), options.gans.end(), g) != options.gans.end())
          gans.push_back(g);
    }
    return gans;
  };
  // Every run of the study, described before any trains: its training set's fingerprint says whether a saved run
  // can be reused, and its work (images times epochs) paces the ETA.
  struct PlannedRun {
    std::string protocol;
    int gan = 0;
    std::uint64_t seed = 0;
    std::string name;
    fs::path dir;
    ClassifierTrainOptions options;
    json config;
    std::string fingerprint;
    std::int64_t train_images = 0;
  };
  const auto training_set = [&](const std::string& protocol, int gan) {
    LabelledImages train;
    if (uses_real(protocol)) train = concat(train, train_real);
    if (gan > 0) train = concat(train, added[gan - 1][protocol]);
    return train;
  };
  // A run saved earlier with the same fingerprint (and its model): its record, else nothing (a damaged one too).
  const auto saved_run = [&](const PlannedRun& planned) -> std::optional<json> {
    std::error_code ec;
    if (!fs::exists(planned.dir / "run.json", ec) || !fs::exists(planned.dir / "model" / "classifier.json", ec))
      return std::nullopt;
    try {
      auto saved = json::parse(read_text_file(planned.dir / "run.json"));
      const auto probabilities = saved.at("probabilities").get<std::vector<double>>();
      if (saved.at("fingerprint") == planned.fingerprint &&
          static_cast<std::int64_t>(probabilities.size()) == val.size())
        return saved;
    } catch (const std::exception&) {
      // a damaged result is simply recomputed
    }
    return std::nullopt;
  };
  std::vector<PlannedRun> planned;
  for (const auto& protocol : options.protocols) {
    for (int gan : gans_of(protocol)) {
      const auto train = training_set(protocol, gan);
      const std::string train_sha256 = content_sha256(train);
      for (auto seed : options.seeds) {
        PlannedRun r{protocol, gan, seed};
        r.name = protocol + (gan > 1 ? " gan " + std::to_string(gan) : "") + " seed " + std::to_string(seed);
        r.dir = options.out_dir / study_run_folder(protocol, gan, seed);
        r.options = options.classifier;
        r.options.seed = seed;
        if (!uses_classical(protocol)) r.options.augment.prob = 0;
        r.train_images = train.size();
        r.config = {{"protocol", protocol}, {"train_images", train.size()}, {"train_sha256", train_sha256},
                    {"classifier", to_json(r.options)}, {"val_ids", val.ids}, {"val_sha256", val_sha256}};
        if (gan > 1) r.config["gan"] = gan;  // a study with one GAN seed keeps its fingerprints
        r.fingerprint = sha256_hex(r.config.dump());
        planned.push_back(std::move(r));
      }
    }
  }
  if (options.train_elsewhere) {
    std::vector<PendingStudyRun> pending;
    for (const auto& r : planned)
      if (!saved_run(r))
        pending.push_back({r.protocol, r.gan, r.seed, r.name,
                           static_cast<double>(r.train_images) * options.classifier.epochs});
    if (!pending.empty()) options.train_elsewhere(pending);
  }

  // The study is most of the main command's time (two hours at 128 px on 2 cores), so it says how far it is and
  // how long it has left: each run's work is its training images times its epochs.
  std::vector<double> work;
  for (const auto& r : planned) work.push_back(static_cast<double>(r.train_images) * options.classifier.epochs);
  WorkQueueEta eta(work);
  const auto study_start = std::chrono::steady_clock::now();
  for (std::size_t this_job = 0; this_job < planned.size(); ++this_job) {
    const auto& r = planned[this_job];
    StudyRun run;
    run.protocol = r.protocol;
    run.seed = r.seed;
    run.gan = r.gan;
    run.train_images = r.train_images;
    // Every model is kept: external sets can be evaluated later without retraining (evaluate-study), and the
    // "real" ones define the domain feature space of FID/KID (image quality).
    if (const auto saved = saved_run(r)) {
      run.probabilities = saved->at("probabilities").get<std::vector<double>>();
      run.seconds = saved->value("seconds", 0.0);
      run.threads = saved->value("threads", 0);
      log_info("study: " + r.name + ": done earlier, reused");
      eta.skipped(this_job);
      runs.push_back(run);
      continue;
    }
    const auto train = training_set(r.protocol, r.gan);
    {
      const auto left = eta.seconds_left();
      log_info("study: [" + std::to_string(this_job + 1) + "/" + std::to_string(eta.jobs()) + "] " + r.name +
               ": training on " + std::to_string(train.size()) + " images (study " +
               format_duration(std::chrono::duration<double>(std::chrono::steady_clock::now() - study_start).count()) +
               " so far" + (left ? ", ETA " + format_duration(*left) + " at the pace of its runs so far" : "") + ")");
    }
    const auto start = std::chrono::steady_clock::now();
    auto result = train_classifier(r.options, train);
    auto evaluation = evaluate_classifier(result.model, val, device);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.threads = torch::get_num_threads();
    run.probabilities.assign(evaluation.probabilities.data_ptr<double>(),
                             evaluation.probabilities.data_ptr<double>() + evaluation.probabilities.numel());
    fs::create_directories(r.dir);
    write_predictions_csv(r.dir / "predictions.csv", val, evaluation.probabilities, options.positive_class,
                          negative_class);
    eta.finished(this_job, run.seconds);
    log_info("study: " + r.name + ": " + summarize(evaluation.report) + " (" +
             std::to_string(static_cast<int>(run.seconds)) + " s)");
    json saved = {{"fingerprint", r.fingerprint}, {"config", r.config}, {"seconds", run.seconds},
                  {"threads", run.threads}, {"probabilities", run.probabilities}, {"report", metrics::to_json(evaluation.report)}};
    SavedClassifier model_record{
        result.model, r.options.model, options.positive_class, negative_class, preprocess,
        {{"protocol", r.protocol}, {"seed", r.seed}, {"gan", r.gan}, {"training", to_json(r.options)}}};
    save_classifier(r.dir / "model", model_record);
    write_text_atomically(r.dir / "run.json", saved.dump(1) + "\n");
    runs.push_back(run);
  }

  if (!options.write_summary) return json::object();
  json summary = summarize_study(labels, runs, options.bootstrap_resamples, /*seed=*/options.seeds.front());
  json study = {{"format", "osgan.study"}, {"version", 1}, {"positive_class", options.positive_class},
                {"validation_images", val.size()}, {"real_training_images", train_real.size()},
                {"synthetic_images", synthetic.empty() ? 0 : synthetic.front().size()}, {"seeds", options.seeds},
                {"interval_method", "two-level percentile bootstrap over seeds and validation images (paired across "
                                    "protocols), " + std::to_string(options.bootstrap_resamples) + " resamples"},
                {"classification", summary}, {"synthetic_per_class", synthetic_per_class}};
  if (gan_seeds > 1) study["gan_seeds"] = gan_seeds;
  json timing = json::object();
  for (const auto& r : runs) timing[r.protocol] = timing.value(r.protocol, 0.0) + r.seconds;
  study["seconds_by_protocol"] = timing;
  // The thread count changes a classifier's result (docs/study.md, Reproducibility): the counts its runs trained
  // on, 0 for a run saved before they were recorded.
  std::set<int> threads;
  for (const auto& r : runs) threads.insert(r.threads);
  study["classifier_threads"] = threads;
  fs::create_directories(options.out_dir);
  write_text_atomically(options.out_dir / "study.json", study.dump(2) + "\n");
  return study;
}

}  // namespace osgan
