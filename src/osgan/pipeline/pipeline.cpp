#include "osgan/pipeline/pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <yaml-cpp/yaml.h>

#include "osgan/core/atomic_file.h"
#include "osgan/core/child_process.h"
#include "osgan/core/confined_path.h"
#include "osgan/core/duration.h"
#include "osgan/core/error.h"
#include "osgan/core/hash.h"
#include "osgan/core/log.h"
#include "osgan/core/one_line.h"
#include "osgan/core/remove_tree.h"
#include "osgan/core/stage_record.h"
#include "osgan/core/work_queue_eta.h"
#include "osgan/core/version.h"
#include "osgan/data/audit.h"
#include "osgan/data/mode_features.h"
#include "osgan/data/split.h"
#include "osgan/io/png_writer.h"
#include "osgan/metrics/image_quality_report.h"
#include "osgan/pipeline/child_jobs.h"
#include "osgan/pipeline/external_validation.h"
#include "osgan/pipeline/mode_gans.h"
#include "osgan/pipeline/parallel_gan_training.h"
#include "osgan/pipeline/stage_plan.h"
#include "osgan/report/html_report.h"
#include "osgan/report/ratio_protocol.h"
#include "osgan/runtime/device.h"
#include "osgan/torch_info.h"
#include "osgan/train/classifier_checkpoint.h"
#include "osgan/train/classifier_data.h"
#include "osgan/train/classifier_presets.h"
#include "osgan/train/gan_trainer.h"
#include "osgan/train/generate.h"
#include "osgan/train/image_tensor.h"
#include "osgan/train/interrupt.h"
#include "osgan/train/presets.h"
#include "osgan/train/sample_grid.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace osgan {
namespace {
// The run folder (under RUN/gan) and stage name (gan-_anatomy) of the anatomy stage.
constexpr const char* kAnatomyRun = "_anatomy";

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The classifier recipe and study settings of each preset. cpu and smoke: the "cpu" classifier recipe (minutes on
// 2 CPU cores); paper: the seed's ResNet152V2 (from scratch: no ImageNet weights can be downloaded) at full width.
void apply_study_preset(const std::string& preset, const std::string& classifier_recipe, StudyOptions& study) {
  const bool paper = preset != "cpu" && preset != "smoke";
  study.classifier = classifier_preset(!classifier_recipe.empty() ? classifier_recipe : paper ? "seed-resnet152v2" : "cpu");
  study.seeds = paper ? std::vector<std::uint64_t>{1, 2, 3, 4, 5} : std::vector<std::uint64_t>{1, 2, 3};
  study.bootstrap_resamples = paper ? 2000 : 1000;
  // The ratio sweep costs about a third of the study on the cpu preset (classifiers on 1.25x to 2x the real images);
  // smoke keeps its minute and sweeps only when a config asks.
  study.ratios = preset == "smoke" ? std::vector<double>{} : std::vector<double>{0.25, 0.5, 1};
}

// The GAN schedule of each preset beyond train-gan's: cpu first trains an anatomy stage of 5,000 steps on both
// classes' training images (one process on all threads), then fine-tunes each class 6,000 steps of its own side by
// side, and generates from 5 snapshots of each fine-tune (steps 2,000 to 6,000, 1,000 apart). Measured
// (docs/one-shot-gan.md): the tumour GAN fine-tuned from 2,000 pooled steps was ahead of the one trained from
// scratch (2026-12-02, 64 px); a single generator collapses onto one contrast and pose, and its domain recall at
// 700 images stays at 0.1-0.2 from 1,000 to 11,000 fine-tune steps, while 700 images drawn from the 5 snapshots of
// 2,000-6,000 reached 0.35 (tumour) and 0.54 (normal) (2026-12-03). Both are domain-space numbers, which cannot
// see contrast or plane: every snapshot still draws one contrast and one plane.
// The cascade (2026-12-06): a 4,000-step L1 upsampler per class takes the 32 px GAN's images to the seed's 128 px,
// 12-13 minutes a class on one thread. Held-back training slices: PSNR 22.8 / 23.9 dB (tumour / normal) against
// 19.3 / 20.1 dB for bilinear enlargement; the 32 px scores of the generated images barely move (FID 6.9 against
// 7.0, 34.3 against 32.9). A patch discriminator beside L1 (weight 0.05) drew salt-and-pepper specks: not used.
void apply_gan_schedule_preset(const std::string& preset, PipelineOptions& o) {
  if (preset != "cpu") return;
  o.anatomy_steps = 5000;
  o.gan.steps = 6000;
  o.gan.snapshots = 5;
  o.upsample_to = 128;
  o.upsampler.steps = 4000;
}

template <typename T>
void read_key(const YAML::Node& node, const char* key, T& value, const std::string& source, const std::string& section) {
  if (!node[key]) return;
  try {
    value = node[key].as<T>();
  } catch (const YAML::Exception&) {
    fail(ErrorCode::invalid_argument, source + ": " + section + "." + key + " has the wrong type");
  }
}

void apply_pipeline_config(const fs::path& path, PipelineOptions& o) {
  const std::string source = path.string();
  YAML::Node root;
  try {
    root = YAML::Load(read_text_file(path));
  } catch (const YAML::Exception& e) {
    fail(ErrorCode::bad_format, source + ": not valid YAML (" + one_line(e.what()) + ")");
  }
  if (!root.IsMap())
    fail(ErrorCode::bad_format, source + ": expected a YAML mapping of sections (gan, classifier, study, generate, "
         "split), found " + (root.IsNull() ? "an empty file" : "something else") + ". Hint: see tests/cli/pipeline_tiny.yaml.");
  try {
    for (const auto& kv : root) {
      if (!kv.first.IsScalar()) fail(ErrorCode::bad_format, source + ": a section name must be a plain word");
      const auto key = kv.first.as<std::string>();
      if (key == "external") {  // a list of dataset folders, not a section
        if (!kv.second.IsSequence() && !kv.second.IsScalar())
          fail(ErrorCode::bad_format, source + ": \"external\" must be a list of dataset folders (\"external: [dir1, dir2]\")");
        continue;
      }
      if (key != "gan" && key != "classifier" && key != "study" && key != "generate" && key != "split" && key != "upsampler")
        fail(ErrorCode::invalid_argument, source + ": unknown section \"" + one_line(key) +
             "\" (known: gan, upsampler, classifier, study, generate, split, external)");
      // Each section holds keys; "generate: 5" would otherwise surface as yaml-cpp's exception, not an error.
      if (!kv.second.IsMap())
        fail(ErrorCode::bad_format, source + ": section \"" + key + "\" must be a mapping of keys (\"" + key +
                                        ":\" then indented \"key: value\" lines)");
    }
    if (auto n = root["external"]) {
      if (n.IsScalar()) o.external.push_back(n.as<std::string>());
      else for (const auto& item : n) o.external.push_back(item.as<std::string>());
    }
    if (auto n = root["gan"]) {
      // anatomy_steps and per_mode belong to the pipeline (they add or split stages); every other key is train-gan's.
      read_key(n, "anatomy_steps", o.anatomy_steps, source, "gan");
      read_key(n, "per_mode", o.per_mode, source, "gan");
      read_key(n, "mode_condition", o.mode_condition, source, "gan");
      if (o.per_mode && o.mode_condition)
        fail(ErrorCode::invalid_argument, source + ": gan.per_mode and gan.mode_condition are two ways to cover the "
             "modes (one GAN per mode, or one GAN conditioned on them); set one of them");
      YAML::Node train_gan_keys = YAML::Clone(n);
      train_gan_keys.remove("anatomy_steps");
      train_gan_keys.remove("per_mode");
      train_gan_keys.remove("mode_condition");
      // The pipeline chooses each GAN's images; a list in the config would be silently replaced.
      for (const auto* key : {"samples", "sample_modes", "condition_on_modes"})
        if (train_gan_keys[key])
          fail(ErrorCode::invalid_argument, source + ": gan." + key + " is chosen by the pipeline (gan.per_mode, "
               "gan.mode_condition and gan.mode_balance fit each class's modes); remove it, or run osgan train-gan with it");
      apply_yaml(train_gan_keys, o.gan, source);
      if (o.per_mode && o.gan.mode_balance > 0)
        fail(ErrorCode::invalid_argument, source + ": gan.mode_balance draws the modes of one GAN's training side "
             "evenly, and with gan.per_mode each GAN learns one mode; set one of them");
    }
    if (auto n = root["upsampler"]) {
      for (const auto& kv : n) {
        const auto key = kv.first.as<std::string>();
        static const std::set<std::string> known = {"size", "steps", "batch", "crop", "channels", "blocks", "lr",
                                                    "adversarial", "input_noise"};
        if (!known.count(key))
          fail(ErrorCode::invalid_argument, source + ": unknown key upsampler." + one_line(key) + " (known: size, steps, "
               "batch, crop, channels, blocks, lr, adversarial, input_noise)");
      }
      auto& u = o.upsampler;
      read_key(n, "size", o.upsample_to, source, "upsampler");
      read_key(n, "steps", u.steps, source, "upsampler");
      read_key(n, "batch", u.batch_size, source, "upsampler");
      read_key(n, "crop", u.crop, source, "upsampler");
      read_key(n, "channels", u.base_channels, source, "upsampler");
      read_key(n, "blocks", u.residual_blocks, source, "upsampler");
      read_key(n, "lr", u.lr, source, "upsampler");
      read_key(n, "adversarial", u.adversarial_weight, source, "upsampler");
      read_key(n, "input_noise", u.input_noise, source, "upsampler");
    }
    if (auto n = root["split"]) read_key(n, "val_fraction", o.val_fraction, source, "split");
    if (auto n = root["generate"]) read_key(n, "count", o.generate_count, source, "generate");
    if (auto n = root["classifier"]) {
      if (n["preset"]) {  // a named recipe first, then the keys beside it override its values
        std::string recipe;
        read_key(n, "preset", recipe, source, "classifier");
        o.study.classifier = classifier_preset(recipe);
      }
      auto& c = o.study.classifier;
      read_key(n, "arch", c.model.arch, source, "classifier");
      read_key(n, "width", c.model.width, source, "classifier");
      read_key(n, "epochs", c.epochs, source, "classifier");
      read_key(n, "batch", c.batch_size, source, "classifier");
      read_key(n, "lr", c.lr, source, "classifier");
      read_key(n, "optimizer", c.optimizer, source, "classifier");
      read_key(n, "schedule", c.schedule, source, "classifier");
      read_key(n, "weight_decay", c.weight_decay, source, "classifier");
      read_key(n, "early_stopping_fraction", c.early_stopping_fraction, source, "classifier");
      read_key(n, "augment_prob", c.augment.prob, source, "classifier");
      read_key(n, "style_augment_prob", c.augment.style_prob, source, "classifier");
      read_key(n, "test_time_flips", c.model.test_time_flips, source, "classifier");
      read_key(n, "input_norm", c.model.input_norm, source, "classifier");
      read_key(n, "image_size", o.classifier_image_size, source, "classifier");
    }
    if (auto n = root["study"]) {
      read_key(n, "seeds", o.study.seeds, source, "study");
      read_key(n, "protocols", o.study.protocols, source, "study");
      read_key(n, "bootstrap", o.study.bootstrap_resamples, source, "study");
      read_key(n, "positive_class", o.study.positive_class, source, "study");
      read_key(n, "ratios", o.study.ratios, source, "study");
      read_key(n, "ratio_filters", o.study.ratio_filters, source, "study");
      read_key(n, "gan_seeds", o.gan_seeds, source, "study");
    }
  } catch (const YAML::Exception& e) {  // anything yaml-cpp meets that the checks above did not foresee
    fail(ErrorCode::bad_format, source + ": " + one_line(e.what()));
  }
}

// Runs stages with completion records: a finished stage with the same fingerprint is skipped. With
// options.only, only that stage runs, once every stage it needs (stage_plan.h) is complete; the others are left as
// they are, whatever their state (they are other jobs of a workflow).
class StageRunner {
 public:
  StageRunner(const PipelineOptions& options, const std::vector<PlannedStage>& plan, json& timing)
      : options_(options), plan_(plan), records_(options.out_dir), timing_(timing) {
    if (targeting()) {
      find_planned_stage(plan_, options_.only);  // an unknown name fails here, listing the known ones
      total_ = 1;
    } else {
      total_ = static_cast<int>(std::count_if(plan_.begin(), plan_.end(), [](const PlannedStage& s) {
        return s.kind != "study-run" && s.kind != "report";
      }));
    }
  }

  bool targeting() const { return !options_.only.empty(); }
  bool targets(const std::string& name) const { return options_.only == name; }
  // True once the --only stage is done: the caller returns.
  bool target_done() const { return targeting() && done_.count(options_.only) > 0; }

  // With --only: fails unless every stage that `name` needs is complete.
  void check_needs(const std::string& name) const {
    for (const auto& need : find_planned_stage(plan_, name).needs) require(need);
  }
  // With --only: fails unless `stage`, which the --only stage needs, is complete.
  void require(const std::string& stage) const {
    if (!done_.count(stage))  // the run folder lacks it: a runtime error (exit 1), not a usage error
      fail(ErrorCode::io, "stage \"" + options_.only + "\" needs stage \"" + stage + "\", which is not "
           "complete in " + options_.out_dir.string() + ". Hint: run `osgan pipeline ... --only " + stage +
           "` first with the same options (a workflow runs the stages in order), or the whole pipeline.");
  }

  // A stage that must run (begin returned it); finish() records it once its body has succeeded.
  struct Started {
    std::string name, fingerprint, prefix;
    std::vector<std::string> outputs;
    bool resuming = false;  // an earlier, unfinished attempt used the same fingerprint
    std::chrono::steady_clock::time_point t0;
  };

  // body(resuming): resuming is true when an earlier, unfinished attempt used the same fingerprint.
  std::string run(const std::string& name, const json& inputs, const std::vector<std::string>& outputs,
                  const std::function<void(bool resuming)>& body) {
    std::string fingerprint;
    if (auto started = begin(name, inputs, outputs, fingerprint)) {
      body(started->resuming);
      finish(*started);
    }
    return fingerprint;
  }

  // Computes the fingerprint; returns nothing (and logs "skipped") when the stage is up to date, else marks it
  // started. Stages begun together may run at once (the GAN classes); each is finished on its own.
  std::optional<Started> begin(const std::string& name, const json& inputs, const std::vector<std::string>& outputs,
                               std::string& fingerprint) {
    fingerprint = sha256_hex(inputs.dump());
    if (targeting() && !targets(name)) {  // another job's stage: noted when complete, never run or changed
      StageRecord record;
      if (records_.is_complete(name, fingerprint) && records_.read(name, record)) {
        done_.insert(name);
        timing_[name] = {{"seconds", record.seconds}, {"skipped", true}};
      }
      return std::nullopt;
    }
    if (targeting()) check_needs(name);
    ++index_;
    const bool forced = std::any_of(options_.force.begin(), options_.force.end(), [&](const std::string& f) {
      return f == name || name.rfind(f + "-", 0) == 0;
    });
    const std::string prefix = "[" + std::to_string(index_) + "/" + std::to_string(total_) + "] " + name;
    if (!forced && records_.is_complete(name, fingerprint)) {
      StageRecord record;
      records_.read(name, record);
      timing_[name] = {{"seconds", record.seconds}, {"skipped", true}};
      log_info(prefix + ": up to date (" + format_duration(record.seconds) + " earlier), skipped");
      done_.insert(name);
      return std::nullopt;
    }
    records_.invalidate(name);
    const fs::path started = started_file(name);
    std::error_code ec;
    const bool resuming = !forced && fs::exists(started, ec) && read_text_file(started) == fingerprint;
    fs::create_directories(started.parent_path());
    write_text_atomically(started, fingerprint);
    log_info(prefix + (resuming ? ": resuming" : ": running") + "  (pipeline " + format_duration(seconds_since(start_)) +
             " so far)");
    return Started{name, fingerprint, prefix, outputs, resuming, std::chrono::steady_clock::now()};
  }

  void finish(const Started& s) {
    const double secs = seconds_since(s.t0);
    records_.mark_complete({s.name, s.fingerprint, secs, s.outputs});
    std::error_code ec;
    fs::remove(started_file(s.name), ec);
    timing_[s.name] = {{"seconds", secs}, {"skipped", false}};
    done_.insert(s.name);
    log_info(s.prefix + ": done in " + format_duration(secs));
  }

 private:
  fs::path started_file(const std::string& name) const { return options_.out_dir / "stages" / (name + ".started"); }

  const PipelineOptions& options_;
  const std::vector<PlannedStage>& plan_;
  StageRecords records_;
  json& timing_;
  std::set<std::string> done_;  // stages complete with their current fingerprint
  int total_ = 0, index_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

json dataset_fingerprint(const data::Dataset& ds, const data::PreprocessOptions& p) {
  json files = json::array();
  for (const auto& s : ds.samples) files.push_back({s.id, s.label, s.file_sha256});
  return {{"files", files}, {"size", p.size}, {"scaling", static_cast<int>(p.scaling)},
          {"low", p.low_percentile}, {"high", p.high_percentile}, {"pad", p.pad_to_square}};
}

// A GAN stage's options as its fingerprint sees them: without what does not change the result (where the run
// folder is, the device, the thread count, the verbosity, where the anatomy checkpoint lies: its stage's own
// fingerprint stands for it).
GanTrainOptions fingerprint_view(GanTrainOptions g) {
  g.out_dir = g.device = g.init_from = "";
  g.threads = 0;
  g.quiet = false;
  return g;
}

torch::Tensor load_generated(const fs::path& folder, const data::PreprocessOptions& preprocess, int* stored_size = nullptr) {
  auto set = load_labelled_folder(folder, 0, preprocess, "synthetic");
  if (stored_size) *stored_size = set.smallest_stored_size;
  return set.images;
}

// Recall at equal set sizes and its real-halves reference (metrics/precision_recall.h), as flat metrics.json keys.
void add_recall_at_real_count(json& q, const std::string& prefix, const json& space) {
  if (!space.contains("recall_at_real_count")) return;  // too few images, or a run from before it was measured
  const json& r = space["recall_at_real_count"];
  q[prefix + "recall_at_real_count"] = r["recall"];
  q[prefix + "recall_halves_generated"] = r["halves_generated"];
  q[prefix + "recall_halves_real"] = r["halves_real"];
}

void write_grey_png(const fs::path& path, const torch::Tensor& image) {
  fs::create_directories(path.parent_path());
  io::write_png_grey8(path, to_grey8(tensor_to_image(image)));
}

std::string relative_to(const fs::path& path, const fs::path& base) { return fs::relative(path, base).generic_string(); }

// Each class's GAN trains and samples with a random stream of its own, derived from the run's seed and the class
// name: with one seed for all, two classes fine-tuned from the same anatomy weights drew the same noise, so
// synthetic tumour image i and normal image i shared theirs.
std::uint64_t class_seed(std::uint64_t run_seed, const std::string& cls) {
  return std::stoull(sha256_hex(std::to_string(run_seed) + "/" + cls).substr(0, 15), nullptr, 16);
}

// What the run reads before any stage: the dataset (its class names and file hashes) and the external sets, checked
// now so that a wrong folder or class name fails in seconds rather than after the GANs.
struct RunInputs {
  data::Dataset dataset;
  json data_fp;
  std::map<std::string, fs::path> external_sets;  // name -> folder
  std::map<std::string, json> external_fp;         // name -> its files and preprocessing
};

// The images as the GANs, the audit and the split read them: at the GAN's size.
data::PreprocessOptions pipeline_preprocessing(const PipelineOptions& o) {
  data::PreprocessOptions preprocess = o.gan.preprocess;
  preprocess.size = o.gan.gan.image_size;
  return preprocess;
}

// The images as the study's classifiers read them (the study, the external sets, the image-quality stage's domain
// space): the same steps at the classifiers' size (resolved by resolve_pipeline_options).
data::PreprocessOptions classifier_preprocessing(const PipelineOptions& o) {
  data::PreprocessOptions preprocess = pipeline_preprocessing(o);
  preprocess.size = o.study.classifier.model.image_size;
  return preprocess;
}

RunInputs load_run_inputs(const PipelineOptions& o, const data::PreprocessOptions& preprocess) {
  RunInputs in;
  data::DatasetOptions dataset_options;
  dataset_options.preprocess = preprocess;
  if (!o.quiet) log_info("osgan pipeline: loading " + o.data.string());
  in.dataset = data::load_dataset(o.data, dataset_options);
  in.data_fp = dataset_fingerprint(in.dataset, preprocess);
  const auto& dataset = in.dataset;
  // Class names become folder and stage names under the run folder (gan/<class>, generated/<class>, ...), some of
  // which are removed and rebuilt: refuse any that would point outside it before anything is written.
  for (const auto& cls : dataset.classes) confined_child(o.out_dir / "gan", cls, "class name");
  if (!o.external.empty()) {
    if (dataset.classes.size() != 2)
      fail(ErrorCode::invalid_argument, "--external: the study needs exactly two classes, " + o.data.string() + " has " +
           std::to_string(dataset.classes.size()));
    const std::string& positive = o.study.positive_class;
    const std::string negative = dataset.classes[0] == positive ? dataset.classes[1] : dataset.classes[0];
    const auto at = classifier_preprocessing(o);  // the classifiers are what reads the external sets
    for (const auto& folder : o.external) {
      const std::string name = external_set_name(folder);
      confined_child(o.out_dir / "external", name, "external set name");
      if (!in.external_sets.emplace(name, folder).second)
        fail(ErrorCode::invalid_argument, "--external: two sets are named \"" + name + "\" (" +
             in.external_sets[name].string() + " and " + folder.string() + "). Hint: give them folders with different names.");
      in.external_fp[name] = dataset_fingerprint(load_external_set(folder, positive, negative, at), at);
    }
  }
  if (o.anatomy_steps > 0) {
    for (const auto& cls : dataset.classes)
      if (cls == kAnatomyRun || cls.find(',') != std::string::npos)
        fail(ErrorCode::invalid_argument, o.data.string() + ": class \"" + cls + "\" cannot share an anatomy stage (the "
             "name " + (cls == kAnatomyRun ? "is the stage's own folder" : "holds a comma") +
             "). Hint: rename the class folder, or set gan.anatomy_steps: 0.");
  }
  return in;
}

std::vector<PlannedStage> plan_of(const PipelineOptions& o, const RunInputs& in) {
  StagePlanInputs p;
  p.classes = in.dataset.classes;
  p.anatomy = o.anatomy_steps > 0;
  p.upsampler = o.upsample_to > 0;
  p.protocols = o.study.protocols;
  p.seeds = o.study.seeds;
  p.gan_seeds = o.gan_seeds;
  for (const auto& set : in.external_sets) p.external_sets.push_back(set.first);
  return plan_pipeline_stages(p);
}

}  // namespace

namespace {

// The largest ratio of the sweep must find its images among each class's generated ones: checked once the split is
// known, before any GAN trains, so a config that cannot run fails in seconds instead of after the GANs.
void check_ratio_sweep_fits(const PipelineOptions& o, const data::Dataset& dataset, const data::Split& split) {
  for (const auto& protocol : o.study.protocols) {
    const auto point = parse_ratio_protocol(protocol);
    if (!point) continue;
    for (const auto& cls : dataset.classes) {
      const auto real = data::select_samples(dataset, split, data::Side::train, cls).size();
      const auto wanted = std::llround(point->ratio * static_cast<double>(real));
      if (wanted > o.generate_count)
        fail(ErrorCode::invalid_argument, "study.ratios: ratio " + ratio_text(point->ratio) + " asks for " +
             std::to_string(wanted) + " generated " + cls + " images (" + std::to_string(real) + " real training "
             "images), but generate.count is " + std::to_string(o.generate_count) + ": lower the ratio or raise the count");
    }
  }
}

}  // namespace

std::vector<std::string> pipeline_stage_names() {
  return {"audit", "split", "gan", "upsampler", "generate", "study", "external", "image-quality", "report"};
}

void resolve_pipeline_options(PipelineOptions& o) {
  o.gan = preset_options(o.preset);  // throws for an unknown preset, naming the known ones
  apply_gan_schedule_preset(o.preset, o);
  apply_study_preset(o.preset, o.classifier_preset, o.study);
  if (!o.config_file.empty()) apply_pipeline_config(o.config_file, o);
  const std::string source = o.config_file.empty() ? std::string("pipeline") : o.config_file.string();  // for messages
  for (const auto& f : o.force) {
    const auto names = pipeline_stage_names();
    if (std::find(names.begin(), names.end(), f) == names.end() && f.find('-') == std::string::npos)
      fail(ErrorCode::invalid_argument, "--force: unknown stage \"" + f +
           "\" (stages: audit, split, gan, upsampler, generate, study, external, image-quality, report; or gan-<class> etc.)");
  }
  o.gan.device = o.device;
  o.gan.threads = o.threads;
  o.gan.seed = o.seed;
  o.gan.quiet = o.quiet;
  o.study.classifier.device = o.device;
  if (o.classifier_image_size != 0 && (o.classifier_image_size < 8 || o.classifier_image_size > 1024))
    fail(ErrorCode::invalid_argument, source + ": classifier.image_size " + std::to_string(o.classifier_image_size) +
         ": expected 8 to 1024 px, or 0 (the generated images' size)");
  o.study.classifier.model.image_size = o.classifier_image_size > 0 ? o.classifier_image_size
                                        : o.upsample_to > 0        ? o.upsample_to
                                                                   : o.gan.gan.image_size;
  std::vector<std::string> sweep;
  try {
    sweep = ratio_protocol_names(o.study.ratios, o.study.ratio_filters);
  } catch (const Error& e) {  // the keys are the config file's: name it
    fail(e.code(), source + ": " + e.what());
  }
  for (const auto& name : sweep)
    if (std::find(o.study.protocols.begin(), o.study.protocols.end(), name) == o.study.protocols.end())
      o.study.protocols.push_back(name);
  if (!(o.val_fraction > 0 && o.val_fraction < 1))
    fail(ErrorCode::invalid_argument, source + ": split.val_fraction: expected a value in (0, 1), got " + std::to_string(o.val_fraction));
  if (o.generate_count < 1) fail(ErrorCode::invalid_argument, source + ": generate.count: expected at least 1");
  if (o.gan_seeds_flag >= 0) o.gan_seeds = o.gan_seeds_flag;
  if (o.gan_seeds < 1 || o.gan_seeds > 100)
    fail(ErrorCode::invalid_argument, "--gan-seeds (study.gan_seeds): expected 1 to 100 GANs per class, got " +
         std::to_string(o.gan_seeds));
  if (o.anatomy_steps < 0)
    fail(ErrorCode::invalid_argument, source + ": gan.anatomy_steps: expected 0 (off) or more, got " + std::to_string(o.anatomy_steps));
  if (o.upsample_to != 0) {
    const std::string where = source + ": upsampler.";
    const int from = o.gan.gan.image_size;
    if (from < 1)  // (doubling 0 would never reach the size: a fuzz finding)
      fail(ErrorCode::invalid_argument, source + ": gan.image_size " + std::to_string(from) +
           ": expected a positive size for the upsampler to enlarge");
    int to = from;
    while (to < o.upsample_to && to < 4096) to *= 2;
    if (o.upsample_to < 0 || to != o.upsample_to || to == from || to > from * 16)
      fail(ErrorCode::invalid_argument, where + "size " + std::to_string(o.upsample_to) + " is not the GAN's " +
           std::to_string(from) + " px times 2, 4, 8 or 16. Hint: e.g. size: " + std::to_string(from * 4) + ", or 0 (off)");
    o.upsampler.size = o.upsample_to;
    try {  // (gan_run and out_dir are set per class GAN by the pipeline)
      validate_settings(o.upsampler);
      upsampler_config(o.upsampler, from);
    } catch (const Error& e) {  // train-upsampler's message names its flags; the config's keys are what to change
      fail(ErrorCode::invalid_argument, where + " " + e.what() + " (the keys: steps, batch, crop, channels, blocks, lr, "
           "adversarial, input_noise)");
    }
  }
}

json plan_pipeline(PipelineOptions o) {
  resolve_pipeline_options(o);
  o.quiet = true;
  return plan_to_json(plan_of(o, load_run_inputs(o, pipeline_preprocessing(o))));
}

namespace {

// metrics.json's image_quality.<class>: the numbers of one image-quality stage's metrics.json that the report reads.
json image_quality_metrics(const json& iq) {
  json q;
  q["histogram_w1"] = iq["histogram"]["wasserstein_1"];
  q["diversity_generated"] = iq["diversity"]["generated"];
  q["diversity_real"] = iq["diversity"]["real"];
  q["memorisation_max_ssim"] = iq["memorisation"]["nearest_ssim"]["max"];
  q["memorisation_median_ssim"] = iq["memorisation"]["nearest_ssim"]["median"];
  q["memorised_share"] = iq["memorisation"]["share_above_threshold"];
  q["memorisation_threshold"] = iq["memorisation"]["threshold"];
  if (iq.contains("structure") && iq["structure"].is_object()) {
    q["structure_precision"] = iq["structure"]["precision"];
    q["structure_recall"] = iq["structure"]["recall"];
    if (iq["structure"].contains("coverage")) {
      q["structure_coverage"] = iq["structure"]["coverage"];
      q["structure_coverage_if_drawn_from_real"] = iq["structure"]["coverage_if_drawn_from_real"];
    }
    q["structure_kid"] = iq["structure"]["kid"];
    add_recall_at_real_count(q, "structure_", iq["structure"]);
  }
  if (iq["features"].is_object()) {
    q["fid_domain"] = iq["features"]["fid"];
    q["kid_domain"] = iq["features"]["kid"]["mean"];
    q["precision"] = iq["features"]["precision"];
    q["recall"] = iq["features"]["recall"];
    if (iq["features"].contains("coverage")) q["coverage"] = iq["features"]["coverage"];
    add_recall_at_real_count(q, "", iq["features"]);
  }
  // Modes (contrast and plane) of the real training side and how the generated images fill them; near twins;
  // the structure space at equal counts beside the real halves.
  if (iq.contains("modes") && iq["modes"].is_object()) {
    const json& md = iq["modes"];
    json rows = json::array();
    for (const auto& r : md["modes"])
      rows.push_back({{"mode", r["mode"]}, {"real_share", r["real_share"]}, {"generated_share", r["generated_share"]},
                      {"real_count", r["real_count"]}, {"generated_count", r["generated_count"]}, {"missed", r["missed"]}});
    q["modes"] = {{"k", md["k"]}, {"k_rule", md["k_rule"]}, {"modes", rows}, {"missed_modes", md["missed_modes"]},
                  {"missed_rule", md["missed_rule"]}, {"feature_space", md["feature_space"]},
                  {"grid", md.value("grid", json())}, {"grid_layout", md.value("grid_layout", json())}};
    q["missed_modes"] = md["missed_modes"];
    if (md.contains("real_agreement_at_generated_size"))
      q["modes"]["real_agreement_at_generated_size"] = md["real_agreement_at_generated_size"];
  }
  if (iq.contains("near_twins") && iq["near_twins"].is_object()) {
    const json& nt = iq["near_twins"];
    q["near_twins_real"] = nt["real"]["share"];
    q["near_twins_generated"] = nt["generated_at_real_count"]["share"];
    q["near_twins_ratio"] = nt["ratio"];
  }
  if (iq.contains("structure") && iq["structure"].contains("at_real_count")) {
    const json& a = iq["structure"]["at_real_count"];
    for (const char* metric : {"precision", "recall", "coverage"}) {
      q[std::string("structure_") + metric + "_at_real_count"] = a["generated"][metric];
      q[std::string("structure_") + metric + "_halves_real"] = a["halves_real"][metric];
    }
  }
  const int bins = iq["histogram"]["bins"].get<int>();
  json centres = json::array();
  for (int b = 0; b < bins; ++b) centres.push_back(-1.0 + (b + 0.5) * 2.0 / bins);
  q["histogram"] = {{"bins", centres}, {"real", iq["histogram"]["real"]}, {"generated", iq["histogram"]["generated"]}};
  q["closest_pairs"] = json::array();
  for (const auto& p : iq["memorisation"]["closest_pairs"])
    q["closest_pairs"].push_back({{"generated", p["generated_image"]}, {"real", p["real_image"]}, {"ssim", p["ssim"]}});
  return q;
}

}  // namespace

// `osgan pipeline ... --only STAGE` for a child process: the options as the user gave them (before the preset and
// the config file are resolved, so that the child resolves them to the same run), on `threads` threads.
std::vector<std::string> child_stage_command(const PipelineOptions& given, const std::string& stage, int threads) {
  std::vector<std::string> argv = {current_executable().string(), "pipeline", "--data", given.data.string(), "--out",
                                   given.out_dir.string(), "--preset", given.preset, "--device", given.device,
                                   "--seed", std::to_string(given.seed), "--threads", std::to_string(threads),
                                   "--only", stage};
  if (!given.classifier_preset.empty()) argv.insert(argv.end(), {"--classifier-preset", given.classifier_preset});
  if (!given.config_file.empty()) argv.insert(argv.end(), {"--config", given.config_file.string()});
  for (const auto& set : given.external) argv.insert(argv.end(), {"--external", set.string()});
  if (given.gan_seeds_flag >= 0) argv.insert(argv.end(), {"--gan-seeds", std::to_string(given.gan_seeds_flag)});
  return argv;
}

// The study's classifiers in child processes, `at_once` at a time on one thread each (each one `osgan pipeline
// --only study-<protocol>-seed<s>`, so a child trains exactly what the study stage would). On 2 cores: 1.16x as
// fast as one at a time on two threads on the epochs, 1.09x on a 2-epoch study, where each child's start-up (about
// 3.6 s) weighs most (docs/study.md). One progress line for them all.
void train_study_runs_in_children(const PipelineOptions& given, const std::vector<PendingStudyRun>& pending,
                                  std::size_t at_once, bool quiet) {
  constexpr double progress_seconds = 60;
  std::vector<ChildJob> jobs;
  std::vector<double> work;
  for (const auto& run : pending) {
    const fs::path log = given.out_dir / "study" / study_run_folder(run.protocol, run.gan, run.seed) / "train.log";
    jobs.push_back({run.name, child_stage_command(given, study_run_stage_name(run.protocol, run.seed, run.gan), 1), log});
    work.push_back(run.work);
  }
  log_info("  training " + std::to_string(jobs.size()) + " classifiers, " + std::to_string(at_once) +
           " at a time, one thread each; logs in RUN/study/<protocol>/seed_<s>/train.log");
  // Each run's seconds are its own wall time while it shares the cores, so the queue's rate is per slot: the time
  // left is the work left at that rate, shared among the slots.
  WorkQueueEta eta(work);
  std::vector<std::chrono::steady_clock::time_point> started(jobs.size());
  std::vector<ChildJobState> seen(jobs.size(), ChildJobState::queued);
  const auto t0 = std::chrono::steady_clock::now();
  auto last_progress = t0;
  std::size_t ended_shown = 0;
  const auto show_progress = [&](const std::vector<ChildJobState>& states) {
    const auto now = std::chrono::steady_clock::now();
    std::size_t ended = 0, running = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (seen[i] == ChildJobState::queued && states[i] != ChildJobState::queued) started[i] = now;
      if (seen[i] != ChildJobState::ended && states[i] == ChildJobState::ended)
        eta.finished(i, std::chrono::duration<double>(now - started[i]).count());
      seen[i] = states[i];
      ended += states[i] == ChildJobState::ended;
      running += states[i] == ChildJobState::running;
    }
    // A line when a classifier ends, and at most one a minute between.
    const bool one_ended = ended > ended_shown;
    ended_shown = ended;
    if (quiet || (!one_ended && std::chrono::duration<double>(now - last_progress).count() < progress_seconds)) return;
    last_progress = now;
    const auto left = eta.seconds_left();
    log_info("  study: " + std::to_string(ended) + "/" + std::to_string(jobs.size()) + " classifiers done, " +
             std::to_string(running) + " training, " +
             format_duration(std::chrono::duration<double>(now - t0).count()) + " so far" +
             (left ? ", ETA " + format_duration(*left / static_cast<double>(at_once)) : ""));
  };
  const auto exit_codes = run_child_jobs(jobs, at_once, show_progress);
  if (InterruptGuard::requested())
    fail(ErrorCode::interrupted, "interrupted: the study's finished classifiers are saved; run the same command to "
         "resume");
  for (std::size_t i = 0; i < jobs.size(); ++i)
    if (exit_codes[i] != 0)
      fail(ErrorCode::numerical, "study: the classifier " + jobs[i].label + " " + child_job_failure(jobs[i], exit_codes[i]));
}

json run_pipeline(PipelineOptions o) {
  const PipelineOptions as_given = o;  // what a child process is given (child_stage_command)
  resolve_pipeline_options(o);
  const auto pipeline_start = std::chrono::steady_clock::now();
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) fail(ErrorCode::io, "cannot create the run folder \"" + o.out_dir.string() + "\" (" + ec.message() + ")");
  const int threads = set_thread_count(o.threads);
  const auto device = parse_device(o.device);

  // The resolved configuration, saved for reproducibility.
  write_text_atomically(o.out_dir / "pipeline.yaml",
                        "# osgan pipeline, resolved configuration (preset " + o.preset + ")\ndata: \"" +
                        o.data.string() + "\"\nseed: " + std::to_string(o.seed) + "\nval_fraction: " +
                        std::to_string(o.val_fraction) + "\ngenerate_count: " + std::to_string(o.generate_count) +
                        "\ngan_seeds: " + std::to_string(o.gan_seeds) + "\nper_mode: " + (o.per_mode ? "true" : "false") +
                        (o.mode_condition ? "\nmode_condition: true" : "") +
                        "\nclassifier: " + to_json(o.study.classifier).dump() + "\nexternal: " + [&] {
                          json list = json::array();
                          for (const auto& e : o.external) list.push_back(e.string());
                          return list.dump();
                        }() + "\nstudy_seeds: " +
                        json(o.study.seeds).dump() + "\ngan:\n  " + [&] {
                          std::string y = to_yaml(o.gan), out;
                          for (char c : y) { out += c; if (c == '\n') out += "  "; }
                          return out;
                        }() + "\n");

  const data::PreprocessOptions preprocess = pipeline_preprocessing(o);
  const data::PreprocessOptions study_preprocess = classifier_preprocessing(o);
  const RunInputs run_inputs = load_run_inputs(o, preprocess);
  const auto& dataset = run_inputs.dataset;
  const json& data_fp = run_inputs.data_fp;
  const auto& external_sets = run_inputs.external_sets;
  auto external_fp = run_inputs.external_fp;
  const bool anatomy = o.anatomy_steps > 0;
  const auto plan = plan_of(o, run_inputs);

  json timing = json::object();
  StageRunner stages(o, plan, timing);

  // 1. Audit: duplicates, near-duplicates, outliers.
  const fs::path audit_file = o.out_dir / "audit.json";
  const auto audit_fp = stages.run("audit", {{"data", data_fp}}, {"audit.json"}, [&](bool) {
    const auto report = data::audit_dataset(dataset);
    data::write_audit_json(audit_file, report);
    if (!o.quiet) log_info(data::format_audit_summary(report));
  });
  if (stages.target_done()) return json::object();

  // 2. Split: stratified, near-duplicate groups kept on one side.
  const fs::path split_file = o.out_dir / "split.json";
  const auto split_fp = stages.run("split", {{"audit", audit_fp}, {"val_fraction", o.val_fraction}, {"seed", o.seed}},
                                   {"split.json"}, [&](bool) {
    const auto report = data::audit_dataset(dataset);
    data::SplitOptions split_options;
    split_options.val_fraction = o.val_fraction;
    split_options.seed = o.seed;
    data::write_split(split_file, data::make_split(dataset, split_options, data::linked_ids(report)));
  });
  if (stages.target_done()) return json::object();
  if (stages.targeting()) stages.require("split");  // every later stage reads the split
  const auto split = data::read_split(split_file);
  check_ratio_sweep_fits(o, dataset, split);

  // 3a. Optional anatomy stage: one GAN on the training side of every class, which each class's GAN fine-tunes.
  // Only training images: the held-out side stays out of every GAN.
  const std::string anatomy_folder = std::string("gan/") + kAnatomyRun;  // in the run folder
  const fs::path anatomy_checkpoint = o.out_dir / anatomy_folder / "checkpoints" / "latest.pt";
  std::string anatomy_fp;
  if (anatomy) {
    GanTrainOptions a = o.gan;
    a.data_dir = o.data.string();
    a.class_name.clear();
    for (const auto& cls : dataset.classes) a.class_name += (a.class_name.empty() ? "" : ",") + cls;
    a.split_file = split_file.string();
    a.out_dir = (o.out_dir / anatomy_folder).string();
    a.steps = o.anatomy_steps;
    a.snapshots = 1;  // the classes fine-tune from its last step only
    a.mode_balance = 0;  // modes are fitted per class: the shared stage draws its slices as published
    anatomy_fp = stages.run("gan-" + std::string(kAnatomyRun), {{"split", split_fp}, {"options", to_yaml(fingerprint_view(a))}},
                            {anatomy_folder + "/checkpoints/latest.pt", anatomy_folder + "/summary.json"},
                            [&](bool resuming) {
      if (resuming && fs::exists(anatomy_checkpoint, ec)) a.resume = true;
      else remove_tree(a.out_dir);
      train_gan(a);
    });
    if (stages.target_done()) return json::object();
  }

  // 3. One GAN per class, on that class's training side only. On the CPU the classes train at once, one child
  // process per core (each deterministic on its own); on a GPU, or with one core, one after the other.
  std::map<std::string, std::string> gan_fp;
  std::vector<GanJob> gan_jobs;
  // With --gan-seeds N, each class has N GANs that differ only in their seed (gan_run_name: "tumor", "tumor-gan2").
  // The anatomy stage is shared by all of them, so the GAN seeds' spread leaves out that stage's own variance.
  struct ClassGan {
    std::string cls, name;  // name: the folder under gan/ and generated/
    int gan = 1;
  };
  std::vector<ClassGan> class_gans;
  for (int gan = 1; gan <= o.gan_seeds; ++gan)
    for (const auto& cls : dataset.classes) class_gans.push_back({cls, gan_run_name(cls, gan), gan});
  auto class_gan_options = [&](const ClassGan& c) {
    GanTrainOptions g = o.gan;
    g.data_dir = o.data.string();
    g.class_name = c.cls;
    g.split_file = split_file.string();
    g.out_dir = (o.out_dir / "gan" / c.name).string();
    g.seed = class_seed(o.seed, c.name);
    if (anatomy) g.init_from = anatomy_checkpoint.string();
    return g;
  };
  // With gan.per_mode, a class's stage fits the modes of its training side (at the mode features' 128 px) and
  // fine-tunes one GAN per mode on that mode's slices, in gan/<name>/mode_<k>; gan/<name>/modes.json says which.
  std::map<int, data::Dataset> dataset_by_size;  // the dataset at other sizes than the GAN's, each read once when needed
  auto dataset_at = [&](int size) -> const data::Dataset& {
    auto it = dataset_by_size.find(size);
    if (it == dataset_by_size.end()) {
      data::DatasetOptions options;
      options.preprocess = preprocess;
      options.preprocess.size = size;
      it = dataset_by_size.emplace(size, data::load_dataset(o.data, options)).first;
    }
    return it->second;
  };
  auto at_mode_size = [&]() -> const data::Dataset& { return dataset_at(data::kModeFeatureSize); };
  struct StartedClassGan {
    ClassGan gan;
    StageRunner::Started stage;
    std::vector<std::size_t> jobs;  // indices into gan_jobs
  };
  std::vector<StartedClassGan> trained;
  for (const auto& c : class_gans) {
    GanTrainOptions g = class_gan_options(c);
    json inputs = {{"split", split_fp}, {"options", to_yaml(fingerprint_view(g))}};
    if (anatomy) inputs["anatomy"] = anatomy_fp;
    if (o.per_mode) inputs["per_mode"] = 1;
    if (o.mode_condition) inputs["mode_condition"] = 1;
    std::vector<std::string> outputs = {"gan/" + c.name + "/summary.json"};
    if (!o.per_mode) {
      outputs.push_back("gan/" + c.name + "/checkpoints/latest.pt");
      for (const auto& path : snapshot_checkpoints(g)) outputs.push_back(relative_to(path, o.out_dir));
    }
    auto started = stages.begin("gan-" + c.name, inputs, outputs, gan_fp[c.name]);
    if (!started) continue;
    const fs::path modes_file = fs::path(g.out_dir) / "modes.json";
    const bool resuming = started->resuming &&
                          fs::exists(o.per_mode ? modes_file : fs::path(g.out_dir) / "checkpoints" / "latest.pt", ec);
    if (!resuming) remove_tree(g.out_dir);  // a run with another config, or a forced redo
    StartedClassGan t{c, *started, {}};
    if (!o.per_mode) {
      if (o.mode_condition || g.mode_balance > 0) {  // the class's modes, each training slice's mode given to the GAN
        const bool fitted = resuming && fs::exists(modes_file, ec);
        const auto modes = fitted ? load_class_modes(modes_file) : split_class_into_modes(at_mode_size(), split, c.cls);
        fs::create_directories(g.out_dir);
        if (!fitted) save_class_modes(modes_file, modes);
        t.stage.outputs.push_back("gan/" + c.name + "/modes.json");
        for (std::size_t k = 0; k < modes.members.size(); ++k)
          for (const auto& id : modes.members[k]) {
            g.samples.push_back(id);
            g.sample_modes.push_back(static_cast<int>(k));
          }
        g.condition_on_modes = o.mode_condition;  // mode_balance alone: batches drawn by mode, no condition
      }
      g.resume = resuming;
      t.jobs.push_back(gan_jobs.size());
      gan_jobs.push_back({c.name, g});
    } else {
      ClassModes modes;
      if (resuming) {
        modes = load_class_modes(modes_file);
      } else {
        modes = split_class_into_modes(at_mode_size(), split, c.cls);
        fs::create_directories(g.out_dir);
        save_class_modes(modes_file, modes);
      }
      t.stage.outputs.push_back("gan/" + c.name + "/modes.json");
      for (int k = 0; k < static_cast<int>(modes.members.size()); ++k) {
        GanTrainOptions m = g;
        m.samples = modes.members[static_cast<std::size_t>(k)];
        m.out_dir = (fs::path(g.out_dir) / mode_run_name(k)).string();
        m.seed = class_seed(o.seed, c.name + "/" + mode_run_name(k));
        m.resume = resuming && fs::exists(fs::path(m.out_dir) / "checkpoints" / "latest.pt", ec);
        t.stage.outputs.push_back(relative_to(fs::path(m.out_dir) / "checkpoints" / "latest.pt", o.out_dir));
        for (const auto& path : snapshot_checkpoints(m)) t.stage.outputs.push_back(relative_to(path, o.out_dir));
        t.jobs.push_back(gan_jobs.size());
        gan_jobs.push_back({c.name + "/" + mode_run_name(k), m});
      }
    }
    trained.push_back(t);
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int total_threads = o.threads > 0 ? o.threads : cores;
  const bool in_parallel = gan_jobs.size() > 1 && device.is_cpu() && total_threads >= 2 && o.gan_in_parallel;
  std::vector<std::string> gan_failures(gan_jobs.size());
  if (in_parallel) {
    const int at_once = std::min(static_cast<int>(gan_jobs.size()), total_threads);
    const int each = std::max(1, total_threads / at_once);
    log_info("  training " + std::to_string(gan_jobs.size()) + " GANs, " + std::to_string(at_once) + " at a time, " +
             std::to_string(each) + " thread(s) each; logs in RUN/gan/<class>/train.log" +
             (o.per_mode ? " (RUN/gan/<class>/mode_<k>/train.log)" : ""));
    gan_failures = train_gans_in_parallel(gan_jobs, each, o.quiet, at_once);
  } else {
    for (auto& job : gan_jobs) train_gan(job.options);
  }
  for (const auto& t : trained) {
    if (std::any_of(t.jobs.begin(), t.jobs.end(), [&](std::size_t j) { return !gan_failures[j].empty(); })) continue;
    const fs::path dir = o.out_dir / "gan" / t.gan.name;
    if (o.per_mode) {  // the class's summary: what the report and metrics.json read, plus each mode's run
      json modes = json::array();
      for (const auto j : t.jobs)
        modes.push_back({{"run", relative_to(gan_jobs[j].options.out_dir, o.out_dir)},
                         {"training_images", gan_jobs[j].options.samples.size()}});
      write_text_atomically(dir / "summary.json", json({{"steps", o.gan.steps}, {"class", t.gan.cls},
                                                        {"per_mode", true}, {"modes", modes}}).dump(1) + "\n");
    }
    // A grid of real training images to show beside the generated ones.
    auto real = samples_to_tensor(dataset, data::select_samples(dataset, split, data::Side::train, t.gan.cls));
    const auto n = std::min<int64_t>(real.size(0), 36);
    io::write_png_grey8(dir / "real_grid.png", make_image_grid(real.slice(0, 0, n)));
    stages.finish(t.stage);
  }
  for (const auto& failure : gan_failures)
    if (!failure.empty()) fail(ErrorCode::numerical, failure);  // the other classes' finished runs are recorded
  if (stages.target_done()) return json::object();

  // 3b. The cascade's upsamplers, one per class GAN, each on the training images that GAN learned from (with
  // gan.per_mode, the class's whole training side). They never read the GAN's weights: a GAN trained again keeps
  // its upsampler unless the images or the upsampler's settings change.
  std::map<std::string, std::string> up_fp;
  const auto upsampler_dir = [&](const ClassGan& c) { return o.out_dir / "upsampler" / c.name; };
  if (o.upsample_to > 0) {
    for (const auto& c : class_gans) {
      UpsamplerTrainOptions u = o.upsampler;
      const auto g = class_gan_options(c);
      u.gan_run = o.per_mode ? fs::path(g.out_dir) / mode_run_name(0) : fs::path(g.out_dir);
      u.whole_class = o.per_mode;
      u.out_dir = upsampler_dir(c);
      u.seed = class_seed(o.seed, c.name + "/upsampler");
      u.device = o.device;
      u.quiet = o.quiet;
      // The split's fingerprint holds the data's files and their preprocessing at the GAN's size.
      json inputs = {{"split", split_fp}, {"class", c.cls}, {"options", upsampler_fingerprint(u)}};
      inputs["options"]["gan_run"] = relative_to(u.gan_run, o.out_dir);  // the run folder may move
      inputs["steps"] = u.steps;
      up_fp[c.name] = stages.run("upsampler-" + c.name, inputs,
                                 {"upsampler/" + c.name + "/summary.json", "upsampler/" + c.name + "/checkpoints/latest.pt"},
                                 [&](bool resuming) {
        u.resume = resuming && fs::exists(u.out_dir / "checkpoints" / "latest.pt", ec);
        if (!u.resume) remove_tree(u.out_dir);
        train_upsampler(u);
      });
    }
    if (stages.target_done()) return json::object();
  }

  // 4. Generate the synthetic images (EMA generator).
  std::map<std::string, std::string> gen_fp;
  for (const auto& c : class_gans) {
    GenerateOptions gen;
    const auto g = class_gan_options(c);
    if (!o.per_mode) {
      gen.checkpoints = snapshot_checkpoints(g);  // the last step's, or the run's snapshots
    } else {  // each mode's GAN draws that mode's share of the class's training slices
      const auto modes = load_class_modes(fs::path(g.out_dir) / "modes.json");
      const auto shares = modes.shares();
      for (std::size_t k = 0; k < shares.size(); ++k) {
        GanTrainOptions m = g;
        m.out_dir = (fs::path(g.out_dir) / mode_run_name(static_cast<int>(k))).string();
        gen.mixture.push_back({snapshot_checkpoints(m), shares[k]});
      }
    }
    gen.count = o.generate_count;
    gen.out_dir = o.out_dir / "generated" / c.name;
    gen.seed = class_seed(o.seed, c.name);
    gen.device = o.device;
    json gen_inputs = {{"gan", gan_fp[c.name]}, {"count", gen.count}, {"seed", gen.seed}};
    if (o.upsample_to > 0) {
      gen.upsampler = upsampler_dir(c);
      gen_inputs["upsampler"] = up_fp[c.name];
    }
    gen_fp[c.name] = stages.run("generate-" + c.name, gen_inputs,
                                {"generated/" + c.name + "/preview/grid.png"}, [&](bool) {
      remove_tree(gen.out_dir);
      generate_images(gen);
    });
  }
  if (stages.target_done()) return json::object();

  // 5. The classification study: every protocol x seed, evaluated on the real validation side only.
  StudyOptions study = o.study;
  study.data = o.data;
  study.split = split_file;
  study.out_dir = o.out_dir / "study";
  study.synthetic.assign(o.gan_seeds, {});
  for (const auto& c : class_gans) study.synthetic[c.gan - 1][c.cls] = o.out_dir / "generated" / c.name;
  // "synthetic_reading": generated PNGs are read back as the generator's output; runs whose study read them through
  // the real images' percentile scaling (before this key existed) are recomputed, and so are the stages after it.
  json study_inputs = {{"split", split_fp}, {"generated", gen_fp}, {"classifier", to_json(study.classifier)},
                       {"seeds", study.seeds}, {"protocols", study.protocols}, {"bootstrap", study.bootstrap_resamples},
                       {"synthetic_reading", "generator-output"}, {"positive_class", study.positive_class}};
  // A workflow trains each classifier as a job of its own (study-<protocol>-seed<s>); the study stage then reuses
  // them (run_study keeps every run whose configuration is unchanged) and adds the statistics. The pipeline alone
  // trains them all inside the study stage.
  if (stages.targeting()) {
    for (const auto& protocol : study.protocols) {
      const bool synthetic = protocol.find("synthetic") != std::string::npos;
      for (int gan = synthetic ? 1 : 0; gan <= (synthetic ? o.gan_seeds : 0); ++gan) {
        for (auto seed : study.seeds) {
          json inputs = {{"split", split_fp}, {"generated", synthetic ? json(gen_fp) : json()},
                         {"classifier", to_json(study.classifier)}, {"protocol", protocol}, {"seed", seed},
                         {"synthetic_reading", "generator-output"}, {"positive_class", study.positive_class}};
          if (gan > 1) inputs["gan"] = gan;
          const std::string run = "study/" + study_run_folder(protocol, gan, seed).generic_string();
          stages.run(study_run_stage_name(protocol, seed, gan), inputs, {run + "/run.json", run + "/model/classifier.json"},
                     [&](bool) {
            StudyOptions one = study;
            one.protocols = {protocol};
            one.seeds = {seed};
            if (gan > 0) one.gans = {gan};
            one.write_summary = false;
            run_study(one, study_preprocess);
          });
          if (stages.target_done()) return json::object();
        }
      }
    }
  }
  // On the CPU with two or more threads, the classifiers train in child processes, one thread each.
  if (o.study_in_parallel && device.is_cpu() && total_threads >= 2) {
    study.train_elsewhere = [&](const std::vector<PendingStudyRun>& pending) {
      if (pending.size() < 2) return;  // one classifier is trained here, on every thread
      const auto at_once = std::min(pending.size(), static_cast<std::size_t>(total_threads));
      train_study_runs_in_children(as_given, pending, at_once, o.quiet);
    };
  }
  const auto study_inputs_fp =
      stages.run("study", study_inputs, {"study/study.json"}, [&](bool) { run_study(study, study_preprocess); });
  if (stages.target_done()) return json::object();
  // The stages after the study read study.json and the classifiers behind it, so their inputs name its content: a
  // study that trained a classifier again from the same inputs (its folder deleted by hand, say) redoes them too.
  const std::string study_fp =
      fs::exists(study.out_dir / "study.json", ec) ? study_signature(study.out_dir) : study_inputs_fp;

  // 5b. External validation: every classifier of the study, unchanged, on each external set.
  for (const auto& set : external_sets) {
    const std::string& name = set.first;  // plain references: lambdas cannot capture structured bindings in C++17
    const fs::path& folder = set.second;
    const fs::path out = o.out_dir / "external" / name;
    stages.run("external-" + name, {{"study", study_fp}, {"data", external_fp[name]}, {"bootstrap", study.bootstrap_resamples}},
               {"external/" + name + "/results.json"}, [&](bool) {
      remove_tree(out);
      ModelEvaluationOptions e;
      e.models = list_study_models(study.out_dir);
      e.study_signature = study_signature(study.out_dir);
      e.images = {folder, "", "val", study.positive_class};
      e.set_name = name;
      e.bootstrap_resamples = study.bootstrap_resamples;
      e.seed = study.seeds.front();
      e.device = o.device;
      e.out_dir = out;
      evaluate_models(e);
    });
    if (stages.target_done()) return json::object();
  }

  // 6. Image quality per class GAN (each GAN seed's images against its class): histograms, diversity, memorisation, the modes of the real training side (contrast
  //    and plane: each mode's real and generated share), near twins, precision/recall/coverage in the structure
  //    space at equal counts, and FID/KID/PR in the domain feature space of the "real" protocol's first classifier
  //    (trained on the real training side only; style-invariant, so blind to contrast).
  const fs::path feature_model_dir = study.out_dir / "real" / ("seed_" + std::to_string(study.seeds.front())) / "model";
  // The modes are fitted on the training images read at the mode features' own size (128 px), not at the GAN's:
  // at 32 px the features blur the contrasts apart (docs/one-shot-gan.md, 2026-12-06).
  struct RealSide {
    torch::Tensor at_gan_size, at_mode_size, at_classifier_size;  // (N, 1, S, S) each; the last only when needed
  };
  std::map<std::string, RealSide> real_sides;  // each class's training side, read once for all its GAN seeds
  auto real_side = [&](const std::string& cls) -> const RealSide& {
    auto it = real_sides.find(cls);
    if (it != real_sides.end()) return it->second;
    RealSide r;
    r.at_gan_size = samples_to_tensor(dataset, data::select_samples(dataset, split, data::Side::train, cls));
    r.at_mode_size = samples_to_tensor(at_mode_size(), data::select_samples(at_mode_size(), split, data::Side::train, cls));
    if (study_preprocess.size != preprocess.size) {
      const auto& at = dataset_at(study_preprocess.size);
      r.at_classifier_size = samples_to_tensor(at, data::select_samples(at, split, data::Side::train, cls));
    }
    return real_sides.emplace(cls, r).first->second;
  };
  for (const auto& c : class_gans) {
    const std::string& cls = c.cls;  // the real images' class; c.name: the GAN's folder under generated/
    const fs::path out = o.out_dir / "image_quality" / c.name;
    const fs::path generated_dir = o.out_dir / "generated" / c.name;
    // "modes": runs scored before the mode measure existed are scored again.
    stages.run("image-quality-" + c.name, {{"generated", gen_fp[c.name]}, {"study", study_fp}, {"modes", 2}},
               {"image_quality/" + c.name + "/metrics.json"},
               [&](bool) {
      remove_tree(out);
      fs::create_directories(out);
      const auto& real_images = real_side(cls);
      const auto& real = real_images.at_gan_size;
      int stored_size = 0;
      auto generated = load_generated(generated_dir, preprocess, &stored_size);
      std::unique_ptr<SavedClassifier> feature_model;
      if (fs::exists(feature_model_dir / "classifier.json", ec))
        feature_model = std::make_unique<SavedClassifier>(load_classifier(feature_model_dir, device));
      metrics::ImageQualityOptions quality_options;
      quality_options.real_for_modes = real_images.at_mode_size;
      if (stored_size >= data::kModeFeatureSize && preprocess.size < data::kModeFeatureSize) {
        data::PreprocessOptions at_mode_size = preprocess;  // upsampled images: their modes at full detail
        at_mode_size.size = data::kModeFeatureSize;
        quality_options.generated_for_modes = load_generated(generated_dir, at_mode_size);
      }
      if (feature_model && study_preprocess.size != preprocess.size) {  // the domain space at the classifiers' size
        quality_options.real_for_features = real_images.at_classifier_size;
        quality_options.generated_for_features = load_generated(generated_dir, study_preprocess);
      }
      quality_options.mode_model_path = out / "mode_model.json";  // fitted on this class's training side only
      quality_options.mode_grid_path = out / "mode_grid.png";
      auto report = metrics::compute_image_quality_report(real, generated, feature_model ? &feature_model->model : nullptr,
                                                          device, quality_options);
      if (report["modes"].is_object())
        for (const char* key : {"model_file", "grid"})
          if (report["modes"][key].is_string()) report["modes"][key] = relative_to(report["modes"][key].get<std::string>(), o.out_dir);
      // The closest (generated, real) pairs as images, for the report.
      int k = 0;
      for (auto& pair : report["memorisation"]["closest_pairs"]) {
        const auto g = pair["generated"].get<int64_t>(), r = pair["real"].get<int64_t>();
        const fs::path gp = out / ("closest_" + std::to_string(k) + "_generated.png");
        const fs::path rp = out / ("closest_" + std::to_string(k) + "_real.png");
        write_grey_png(gp, generated[g]);
        write_grey_png(rp, real[r]);
        pair["generated_image"] = relative_to(gp, o.out_dir);
        pair["real_image"] = relative_to(rp, o.out_dir);
        ++k;
      }
      write_text_atomically(out / "metrics.json", report.dump(1) + "\n");
    });
    if (stages.target_done()) return json::object();
  }
  if (stages.targeting()) stages.check_needs("report");  // the only stage left: metrics.json and the report

  // 7. metrics.json (always rebuilt from the stage outputs) and the report.
  json m;
  m["format"] = "osgan.metrics";
  m["version"] = 1;
  {
    std::time_t now = std::time(nullptr);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    m["run"] = {{"name", o.out_dir.filename().string()}, {"created", buf}, {"preset", o.preset}};
  }
  m["dataset"]["root"] = fs::absolute(o.data).string();
  for (const auto& cls : dataset.classes) m["dataset"]["classes"][cls] = dataset.indices_of_class(cls).size();
  m["dataset"]["skipped"] = dataset.skipped.size();
  {
    const json audit = json::parse(read_text_file(audit_file));
    m["audit"]["near_duplicate_pairs"] = json::array();
    for (const auto& d : audit["near_duplicate_pairs"])
      m["audit"]["near_duplicate_pairs"].push_back({{"a", d["id_a"]}, {"b", d["id_b"]}, {"score", d["score"]}});
    // The report shows reasons as text: "upper_gap 1.24 (z 11.8)".
    m["audit"]["outliers"] = json::array();
    for (const auto& o : audit["outliers"]) {
      json reasons = json::array();
      for (const auto& r : o["reasons"]) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "%s %.3g (z %.1f)", r["feature"].get<std::string>().c_str(),
                      r["value"].get<double>(), r["z"].get<double>());
        reasons.push_back(buf);
      }
      m["audit"]["outliers"].push_back({{"id", o["id"]}, {"class", o["class"]}, {"score", o["score"]}, {"reasons", reasons}});
    }
    m["audit"]["exact_duplicates"] = audit["exact_duplicates"];
    if (audit.contains("modes") && audit["modes"].is_object()) m["audit"]["modes"] = audit["modes"];
    m["audit"]["label_conflicts"] = audit["label_conflicts"];
  }
  for (const auto& cls : dataset.classes) {
    m["split"]["train"][cls] = data::select_samples(dataset, split, data::Side::train, cls).size();
    m["split"]["val"][cls] = data::select_samples(dataset, split, data::Side::val, cls).size();
  }
  if (anatomy) {
    const fs::path dir = o.out_dir / anatomy_folder;
    const json summary = json::parse(read_text_file(dir / "summary.json"));
    m["gan_anatomy"] = {{"steps", summary.value("steps", 0)},
                        {"seconds", timing["gan-" + std::string(kAnatomyRun)].value("seconds", 0.0)},
                        {"classes", summary.value("class", "")},
                        {"training_images", summary.value("training_images", 0)},
                        {"losses_csv", anatomy_folder + "/losses.csv"},
                        {"samples_grid", relative_to(summary.value("samples", ""), o.out_dir)}};
    if (fs::exists(dir / "quality.csv")) m["gan_anatomy"]["quality_csv"] = anatomy_folder + "/quality.csv";
  }
  for (const auto& cls : dataset.classes) {
    const fs::path gan_dir = o.out_dir / "gan" / cls;
    const json summary = json::parse(read_text_file(gan_dir / "summary.json"));
    // One GAN per mode: the curves shown are those of mode 0, the class's largest.
    const bool per_mode = summary.value("per_mode", false);
    const std::string curves = per_mode ? "gan/" + cls + "/" + mode_run_name(0) : "gan/" + cls;
    m["gan"][cls] = {{"steps", summary.value("steps", 0)}, {"seconds", timing["gan-" + cls].value("seconds", 0.0)},
                     {"arch", o.gan.gan.arch}, {"image_size", o.gan.gan.image_size},
                     {"losses_csv", curves + "/losses.csv"},
                     {"samples_grid", "generated/" + cls + "/preview/grid.png"}, {"real_grid", "gan/" + cls + "/real_grid.png"}};
    if (per_mode) {
      json training_images = json::array();
      for (const auto& mode : summary.value("modes", json::array())) training_images.push_back(mode.value("training_images", 0));
      m["gan"][cls]["per_mode"] = {{"modes", training_images.size()}, {"training_images", training_images}};
    }
    if (!per_mode && fs::exists(gan_dir / "modes.json")) {  // one GAN told its slices' modes (condition, balance)
      const auto modes = load_class_modes(gan_dir / "modes.json");
      json training_images = json::array();
      for (const auto& members : modes.members) training_images.push_back(members.size());
      const json of_modes = {{"modes", modes.members.size()}, {"training_images", training_images}};
      if (o.mode_condition) m["gan"][cls]["mode_condition"] = of_modes;
      if (o.gan.mode_balance > 0) {
        m["gan"][cls]["mode_balance"] = of_modes;
        m["gan"][cls]["mode_balance"]["balance"] = o.gan.mode_balance;
      }
    }
    if (fs::exists(o.out_dir / curves / "quality.csv")) m["gan"][cls]["quality_csv"] = curves + "/quality.csv";
    if (o.upsample_to > 0) {  // the cascade: what enlarged this class's images, and how it scored on held-back slices
      const json up = json::parse(read_text_file(o.out_dir / "upsampler" / cls / "summary.json"));
      m["gan"][cls]["upsampler"] = {{"from_size", up.value("from_size", 0)}, {"size", up.value("size", 0)},
                                    {"steps", up.value("steps", 0)}, {"seconds", timing["upsampler-" + cls].value("seconds", 0.0)},
                                    {"training_images", up.value("training_images", 0)},
                                    {"held_back_images", up.value("held_back_images", 0)},
                                    {"held_back", up.value("held_back", json::object())},
                                    {"samples_grid", "upsampler/" + cls + "/samples/" + step_name(up.value("steps", 0)) + ".png"}};
    }
    int count = 0;
    for (const auto& f : fs::directory_iterator(o.out_dir / "generated" / cls))
      if (f.path().filename().string().rfind("synthetic_", 0) == 0) ++count;
    m["generated"][cls] = count;

    const auto read_image_quality = [&](const std::string& name) {
      return image_quality_metrics(json::parse(read_text_file(o.out_dir / "image_quality" / name / "metrics.json")));
    };
    m["image_quality"][cls] = read_image_quality(gan_run_name(cls, 1));
    if (o.gan_seeds > 1) {  // every GAN seed's headline numbers, the first's included, beside its full ones
      json seeds = json::array();
      for (int gan = 1; gan <= o.gan_seeds; ++gan) {
        const std::string name = gan_run_name(cls, gan);
        const json q = gan == 1 ? m["image_quality"][cls] : read_image_quality(name);
        json row = {{"gan", gan}, {"run", "image_quality/" + name}};
        for (const char* key : {"missed_modes", "near_twins_generated", "near_twins_ratio",
                                "structure_precision_at_real_count", "structure_recall_at_real_count",
                                "structure_coverage_at_real_count", "memorised_share", "fid_domain"})
          row[key] = q.value(key, json());
        seeds.push_back(row);
      }
      m["image_quality"][cls]["gan_seeds"] = seeds;
    }
  }
  const json study_json = json::parse(read_text_file(study.out_dir / "study.json"));
  m["classification"] = study_json["classification"];
  const json synthetic_per_class = study_json.value("synthetic_per_class", json::object());
  if (auto sweep = ratio_sweep_table(study_json["classification"], synthetic_per_class); !sweep.empty())
    m["classification"]["ratio"] = sweep;
  for (const auto& [name, folder] : external_sets) {
    const json e = json::parse(read_text_file(o.out_dir / "external" / name / "results.json"));
    m["external"][name] = e["classification"];
    if (auto sweep = ratio_sweep_table(e["classification"], synthetic_per_class); !sweep.empty())
      m["external"][name]["ratio"] = sweep;
    m["external_sets"][name] = external_set_summary(e);
  }
  // Sets added later by evaluate-study stay while they were evaluated with this study's classifiers.
  const std::string current_study = study_signature(study.out_dir);
  for (const auto& entry : fs::directory_iterator(o.out_dir / "external", ec)) {
    const std::string name = entry.path().filename().string();
    const fs::path results = entry.path() / "results.json";
    if (external_sets.count(name) || name.rfind('.', 0) == 0 || !fs::is_regular_file(results, ec)) continue;
    const std::string redo = "osgan evaluate-study --run " + o.out_dir.string() + " --name " + name + " --data DATA";
    try {
      const json e = json::parse(read_text_file(results));
      if (e.value("study_sha256", "") != current_study) {
        log_warning("external set \"" + name + "\" was evaluated with an earlier study and is left out of metrics.json; "
                    "to add it again: " + redo + " (DATA was " + e.value("data", "?") + ")");
        continue;
      }
      const json set = external_set_summary(e);
      m["external"][name] = e.at("classification");
      if (auto sweep = ratio_sweep_table(e["classification"], synthetic_per_class); !sweep.empty())
        m["external"][name]["ratio"] = sweep;
      m["external_sets"][name] = set;
    } catch (const std::exception& error) {  // a damaged leftover must not fail the run at its last step
      log_warning(results.string() + ": unreadable (" + one_line(error.what()) + "), left out of metrics.json; to redo "
                  "it: " + redo);
    }
  }
  m["classification_positive_class"] = study.positive_class;
  m["study"] = {{"seeds", study.seeds}, {"gan_seeds", o.gan_seeds}, {"interval_method", study_json["interval_method"]},
                {"validation_images", study_json["validation_images"]}, {"classifier", to_json(study.classifier)}};
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  m["environment"] = {{"osgan", OSGAN_VERSION}, {"libtorch", libtorch_version()}, {"device", device.str()},
                      {"threads", threads}, {"machine", host}, {"preset", o.preset}};
  // Each classifier's own thread count: 1 when the study trained them in child processes (docs/study.md).
  if (study_json.contains("classifier_threads")) {
    const auto counts = study_json["classifier_threads"].get<std::vector<int>>();
    std::string listed;
    for (int t : counts) listed += (listed.empty() ? "" : ", ") + (t > 0 ? std::to_string(t) : "not recorded");
    m["environment"]["classifier_threads"] = counts.size() == 1 && counts[0] > 0 ? json(counts[0]) : json(listed);
  }
  m["caveats"] = json::array();
  if (o.preset == "smoke")
    m["caveats"].push_back("Preset smoke: GANs at " + std::to_string(o.gan.gan.image_size) + "x" +
                           std::to_string(o.gan.gan.image_size) + " for only " + std::to_string(o.gan.steps) +
                           " steps each draw textures, not brain slices: this run checks that everything works, and "
                           "its synthetic rows say nothing about augmentation. Use --preset cpu for results.");
  if (o.preset == "cpu")
    m["caveats"].push_back("Preset cpu: GANs at " + std::to_string(o.gan.gan.image_size) + "x" +
                           std::to_string(o.gan.gan.image_size) + ", channel base " + std::to_string(o.gan.gan.channels_g) +
                           ", " + (o.anatomy_steps > 0 ? std::to_string(o.anatomy_steps) + " steps on both classes, then " : std::string()) +
                           std::to_string(o.gan.steps) + " steps each" +
                           (o.gan.snapshots > 1 ? " (images drawn from " + std::to_string(o.gan.snapshots) + " snapshots of each)" : std::string()) +
                           (o.upsample_to > 0 ? ", enlarged to " + std::to_string(o.upsample_to) + "x" +
                                                    std::to_string(o.upsample_to) + " by an upsampler trained on the class's "
                                                    "training slices (the detail is the upsampler's, the content the "
                                                    "GAN's), classifiers at " + std::to_string(o.study.classifier.model.image_size) +
                                                    "x" + std::to_string(o.study.classifier.model.image_size)
                                              : std::string()) +
                           ", and a small ResNet18 (width " +
                           json(o.study.classifier.model.width).dump() + ") trained from scratch: a CPU budget set from "
                           "a measured learning curve, not the seed's 37,500-step, 128x128 schedule.");
  // A warning drawn from the numbers, not from the preset: generated images outside the real manifold. The
  // structure space decides when present: the domain space of a style-invariant classifier (the cpu recipe) also
  // admits textures.
  for (const auto& cls : dataset.classes) {
    const auto& q = m["image_quality"][cls];
    const bool structure = q.contains("structure_precision") && q["structure_precision"].is_number();
    const char* key = structure ? "structure_precision" : "precision";
    if (q.contains(key) && q[key].is_number() && q[key].get<double>() < 0.5)
      m["caveats"].push_back("Class " + cls + ": only " + std::to_string(static_cast<int>(q[key].get<double>() * 100 + 0.5)) +
                             "% of the generated images lie inside the real images' manifold (precision in the " +
                             (structure ? "structure" : "domain") + " feature space). Look at the sample grids before "
                             "reading the synthetic protocols as a verdict on GAN augmentation: this generator may not "
                             "have learned the anatomy yet.");
  }
  m["caveats"].push_back("Classifiers are trained from scratch (no ImageNet weights can be downloaded here), unlike the "
                         "seed's pretrained ResNet152V2.");

  // Stage times include those done in earlier, resumed sessions; this_session is this call's wall time.
  double stage_sum = 0;
  for (const auto& [name, t] : timing.items()) stage_sum += t.value("seconds", 0.0);
  timing["total"] = {{"seconds", stage_sum}};
  timing["this_session"] = {{"seconds", seconds_since(pipeline_start)}};
  m["timing"] = timing;
  write_text_atomically(o.out_dir / "metrics.json", m.dump(2) + "\n");
  report::ReportOptions report_options;
  report_options.run_dir = o.out_dir;
  report_options.out_path = o.out_dir / "report.html";
  report::write_report(report_options);
  log_info("osgan pipeline: done in " + format_duration(seconds_since(pipeline_start)) + ". Report: " +
           (o.out_dir / "report.html").string());
  return m;
}

}  // namespace osgan
