// GanTrainOptions <-> YAML through one table of keys, so the saved config, the config file and the resume
// check can never disagree about a key's name or type.
#include "osgan/train/gan_train_options.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <iomanip>
#include <sstream>
#include <type_traits>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/core/one_line.h"

namespace osgan {
namespace {

struct Field {
  std::string key;
  bool must_match_on_resume;
  std::function<void(const GanTrainOptions&, YAML::Emitter&)> emit;
  std::function<void(GanTrainOptions&, const YAML::Node&)> read;
  std::function<bool(const GanTrainOptions&, const GanTrainOptions&)> equal;
};

// The shortest decimal that reads back as the same double (0.15, not 0.14999999999999999).
template <class T>
auto readable(const T& value) {
  if constexpr (std::is_floating_point_v<T>) {
    for (int digits = 6; digits <= 17; ++digits) {
      std::ostringstream s;
      s << std::setprecision(digits) << value;
      if (static_cast<T>(std::stod(s.str())) == value) return s.str();
    }
    std::ostringstream s;
    s << std::setprecision(17) << value;
    return s.str();
  } else {
    return value;
  }
}

// `ref` maps an options object to the field's storage.
template <class Ref>
Field field(const std::string& key, bool must_match, Ref ref) {
  const auto get = [ref](const GanTrainOptions& o) { return ref(const_cast<GanTrainOptions&>(o)); };
  return {key, must_match,
          [get, key](const GanTrainOptions& o, YAML::Emitter& out) {
            out << YAML::Key << key << YAML::Value << readable(get(o));
          },
          [ref](GanTrainOptions& o, const YAML::Node& n) {
            using T = std::decay_t<decltype(ref(o))>;
            ref(o) = n.as<T>();
          },
          [get](const GanTrainOptions& a, const GanTrainOptions& b) { return get(a) == get(b); }};
}

std::string scaling_name(data::IntensityScaling s) {
  return s == data::IntensityScaling::minmax ? "minmax" : "percentile";
}

const std::vector<Field>& fields() {
  using O = GanTrainOptions;
  static const std::vector<Field> table = {
      field("data", true, [](O& o) -> std::string& { return o.data_dir; }),
      field("class", true, [](O& o) -> std::string& { return o.class_name; }),
      field("split", true, [](O& o) -> std::string& { return o.split_file; }),
      field("image", true, [](O& o) -> std::string& { return o.image_file; }),
      {"samples", true,
       [](const O& o, YAML::Emitter& out) {
         out << YAML::Key << "samples" << YAML::Value << YAML::BeginSeq;
         for (const auto& id : o.samples) out << id;
         out << YAML::EndSeq;
       },
       [](O& o, const YAML::Node& n) {
         if (!n.IsSequence()) fail(ErrorCode::invalid_argument, "samples: expected a list of sample ids");
         o.samples.clear();
         for (const auto& item : n) o.samples.push_back(item.as<std::string>());
       },
       [](const O& a, const O& b) { return a.samples == b.samples; }},
      {"sample_modes", true,
       [](const O& o, YAML::Emitter& out) {
         out << YAML::Key << "sample_modes" << YAML::Value << YAML::Flow << YAML::BeginSeq;
         for (const auto k : o.sample_modes) out << k;
         out << YAML::EndSeq;
       },
       [](O& o, const YAML::Node& n) {
         if (!n.IsSequence()) fail(ErrorCode::invalid_argument, "sample_modes: expected a list of mode numbers");
         o.sample_modes.clear();
         for (const auto& item : n) o.sample_modes.push_back(item.as<int>());
       },
       [](const O& a, const O& b) { return a.sample_modes == b.sample_modes; }},
      field("mode_noise_radius", true, [](O& o) -> double& { return o.gan.mode_noise_radius; }),
      field("condition_on_modes", true, [](O& o) -> bool& { return o.condition_on_modes; }),
      field("mode_balance", true, [](O& o) -> double& { return o.mode_balance; }),
      {"scaling", true,
       [](const O& o, YAML::Emitter& out) { out << YAML::Key << "scaling" << YAML::Value << scaling_name(o.preprocess.scaling); },
       [](O& o, const YAML::Node& n) {
         const auto s = n.as<std::string>();
         if (s != "percentile" && s != "minmax")
           fail(ErrorCode::invalid_argument, "scaling: expected percentile or minmax, got \"" + s + "\"");
         o.preprocess.scaling = s == "minmax" ? data::IntensityScaling::minmax : data::IntensityScaling::percentile;
       },
       [](const O& a, const O& b) { return a.preprocess.scaling == b.preprocess.scaling; }},
      field("low_percentile", true, [](O& o) -> float& { return o.preprocess.low_percentile; }),
      field("high_percentile", true, [](O& o) -> float& { return o.preprocess.high_percentile; }),
      field("pad_to_square", true, [](O& o) -> bool& { return o.preprocess.pad_to_square; }),
      field("preset", false, [](O& o) -> std::string& { return o.preset; }),
      field("arch", true, [](O& o) -> std::string& { return o.gan.arch; }),
      field("image_size", true, [](O& o) -> int& { return o.gan.image_size; }),
      field("noise_dim", true, [](O& o) -> int& { return o.gan.noise_dim; }),
      field("channels_g", true, [](O& o) -> int& { return o.gan.channels_g; }),
      field("channels_d", true, [](O& o) -> int& { return o.gan.channels_d; }),
      field("blocks_g", true, [](O& o) -> int& { return o.gan.blocks_g; }),
      field("blocks_d", true, [](O& o) -> int& { return o.gan.blocks_d; }),
      field("blocks_d_low", true, [](O& o) -> int& { return o.gan.blocks_d_low; }),
      field("loss", true, [](O& o) -> std::string& { return o.gan.loss; }),
      field("init", true, [](O& o) -> std::string& { return o.gan.init; }),
      field("lambda_dr", true, [](O& o) -> double& { return o.gan.lambda_dr; }),
      field("prob_augment", true, [](O& o) -> double& { return o.gan.prob_augment; }),
      field("prob_fa_content", true, [](O& o) -> double& { return o.gan.prob_fa_content; }),
      field("prob_fa_layout", true, [](O& o) -> double& { return o.gan.prob_fa_layout; }),
      field("minibatch_std", true, [](O& o) -> bool& { return o.gan.minibatch_std; }),
      field("lambda_coverage", true, [](O& o) -> double& { return o.gan.lambda_coverage; }),
      field("coverage_pool", true, [](O& o) -> int& { return o.gan.coverage_pool; }),
      field("lambda_reconstruction", true, [](O& o) -> double& { return o.gan.lambda_reconstruction; }),
      field("lr_g", true, [](O& o) -> double& { return o.gan.lr_g; }),
      field("lr_d", true, [](O& o) -> double& { return o.gan.lr_d; }),
      field("beta1", true, [](O& o) -> double& { return o.gan.beta1; }),
      field("beta2", true, [](O& o) -> double& { return o.gan.beta2; }),
      field("use_ema", true, [](O& o) -> bool& { return o.gan.use_ema; }),
      field("ema_decay", true, [](O& o) -> double& { return o.gan.ema_decay; }),
      field("ema_warmup", true, [](O& o) -> bool& { return o.gan.ema_warmup; }),
      field("steps", false, [](O& o) -> int& { return o.steps; }),
      field("batch", true, [](O& o) -> int& { return o.batch_size; }),
      field("checkpoint_every", false, [](O& o) -> int& { return o.checkpoint_every; }),
      field("sample_every", false, [](O& o) -> int& { return o.sample_every; }),
      field("keep_checkpoints", false, [](O& o) -> int& { return o.keep_checkpoints; }),
      field("snapshots", false, [](O& o) -> int& { return o.snapshots; }),
      field("grid_count", false, [](O& o) -> int& { return o.grid_count; }),
      field("quality_every", false, [](O& o) -> int& { return o.quality_every; }),
      field("quality_count", false, [](O& o) -> int& { return o.quality_count; }),
      field("progress_seconds", false, [](O& o) -> double& { return o.progress_seconds; }),
      field("max_rollbacks", false, [](O& o) -> int& { return o.max_rollbacks; }),
      field("device", false, [](O& o) -> std::string& { return o.device; }),
      field("threads", false, [](O& o) -> int& { return o.threads; }),
      field("seed", true, [](O& o) -> std::uint64_t& { return o.seed; }),
      field("init_from", true, [](O& o) -> std::string& { return o.init_from; }),
  };
  return table;
}

// The keys whose values decide the networks' parameter shapes and which modules exist.
bool shapes_the_networks(const std::string& key) {
  static const std::vector<std::string> keys = {"arch",     "image_size", "noise_dim",    "channels_g", "channels_d",
                                                "blocks_g", "blocks_d",   "blocks_d_low", "use_ema",
                                                "minibatch_std"};
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The published diversity term sums over every pair of a batch and divides by the levels only, so its weight grows
// with the batch: say so when the batch is not the published 5 (10 pairs).
std::string diversity_pressure_note(const GanTrainOptions& o) {
  if (o.gan.arch != "one-shot" || o.gan.lambda_dr <= 0 || o.batch_size == 5 || o.batch_size < 2) return "";
  const int pairs = o.batch_size * (o.batch_size - 1) / 2;
  std::ostringstream note;
  note << "# lambda_dr " << o.gan.lambda_dr << " at batch " << o.batch_size << " sums " << pairs
       << " pairs: effective DR weight " << o.gan.lambda_dr * pairs / 10.0 << " in units of the published batch 5 ("
       << pairs / 10.0 << "x its pressure)\n";
  return note.str();
}

void require(bool ok, const std::string& what) {
  if (!ok) fail(ErrorCode::invalid_argument, what);
}

}  // namespace

void validate(const GanTrainOptions& o) {
  const bool from_image = !o.image_file.empty();
  require(from_image || !o.data_dir.empty(), "train-gan: expected --data DIR with --class NAME, or --image FILE");
  require(!from_image || o.data_dir.empty(), "train-gan: give either --data or --image, not both");
  require(from_image || !o.class_name.empty(), "train-gan: --data needs --class NAME (which class to learn)");
  require(!o.out_dir.empty(), "train-gan: expected --out RUN (the run folder)");
  require(o.samples.empty() || !from_image, "samples: a list of sample ids needs --data, not --image");
  require(o.gan.lambda_reconstruction == 0 || o.gan.arch == "one-shot",
          "lambda_reconstruction: only --arch one-shot has a discriminator with a decoder; expected 0 for --arch " +
              o.gan.arch);
  if (!o.sample_modes.empty()) {
    require(o.sample_modes.size() == o.samples.size(), "sample_modes: expected one mode per listed sample (" +
            std::to_string(o.samples.size()) + "), got " + std::to_string(o.sample_modes.size()));
    const int k = *std::max_element(o.sample_modes.begin(), o.sample_modes.end()) + 1;
    require(k >= 2 && k <= 32 && *std::min_element(o.sample_modes.begin(), o.sample_modes.end()) >= 0,
            "sample_modes: expected modes 0 .. K-1 with 2 <= K <= 32");
    for (int m = 0; m < k; ++m)
      require(std::count(o.sample_modes.begin(), o.sample_modes.end(), m) > 0,
              "sample_modes: mode " + std::to_string(m) + " has no sample; expected every mode 0 .. " +
              std::to_string(k - 1) + " to be used");
    require(o.gan.arch == "one-shot" || !o.condition_on_modes,
            "sample_modes: only --arch one-shot can be conditioned on modes (condition_on_modes: false draws batches "
            "by mode without conditioning)");
  }
  require(o.mode_balance >= 0 && o.mode_balance <= 1, "mode_balance: expected 0 (each slice equally often) to 1 "
          "(each mode equally often), got " + readable(o.mode_balance));
  require(o.mode_balance == 0 || !o.sample_modes.empty(), "mode_balance: expected each training slice's mode "
          "(samples and sample_modes; in the pipeline, gan.mode_condition: true or gan.mode_balance fits them)");
  require(o.condition_on_modes || (!o.sample_modes.empty() && o.mode_balance > 0),
          "condition_on_modes: false leaves the modes nothing to do; expected sample_modes with mode_balance above 0");
  require(o.steps >= 1, "--steps: expected 1 or more, got " + std::to_string(o.steps));
  require(o.batch_size >= 1, "--batch: expected 1 or more, got " + std::to_string(o.batch_size));
  require(o.checkpoint_every >= 1, "--checkpoint-every: expected 1 or more, got " + std::to_string(o.checkpoint_every));
  require(o.sample_every >= 1, "--sample-every: expected 1 or more, got " + std::to_string(o.sample_every));
  require(o.keep_checkpoints >= 0, "keep_checkpoints: expected 0 (all) or more");
  require(o.snapshots >= 1 && o.snapshots <= o.steps,
          "snapshots: expected 1 (the last step) to --steps (" + std::to_string(o.steps) + "), got " +
              std::to_string(o.snapshots));
  require(o.max_rollbacks >= 0, "--max-rollbacks: expected 0 (stop at the first numeric fault) or more, got " +
                                     std::to_string(o.max_rollbacks));
  require(o.quality_every >= 0, "--quality-every: expected 0 (off) or more, got " + std::to_string(o.quality_every));
  require(o.quality_count >= 4 && o.quality_count <= 4096,
          "quality_count: expected 4 to 4096, got " + std::to_string(o.quality_count));
  require(o.grid_count >= 1 && o.grid_count <= 256, "grid_count: expected 1 to 256, got " + std::to_string(o.grid_count));
  require(o.gan.image_size >= 4 && o.gan.image_size <= 1024,
          "--image-size: expected 4 to 1024, got " + std::to_string(o.gan.image_size));
  require(o.gan.lr_g > 0 && o.gan.lr_d > 0, "lr_g, lr_d: expected positive learning rates");
  require(o.gan.beta1 >= 0 && o.gan.beta1 < 1 && o.gan.beta2 >= 0 && o.gan.beta2 < 1, "beta1, beta2: expected [0, 1)");
  require(o.gan.init == "as-run" || o.gan.init == "normal-0.02",
          "init: expected as-run or normal-0.02, got \"" + o.gan.init + "\"");
  require(o.gan.ema_decay >= 0 && o.gan.ema_decay < 1, "ema_decay: expected [0, 1), got " + std::to_string(o.gan.ema_decay));
}

std::string step_name(std::int64_t step) {
  std::ostringstream s;
  s << "step_" << std::setw(6) << std::setfill('0') << step;
  return s.str();
}

std::vector<std::int64_t> snapshot_steps(const GanTrainOptions& options) {
  std::vector<std::int64_t> steps;
  const std::int64_t n = options.snapshots, total = options.steps;
  for (std::int64_t k = 1; k <= n; ++k) steps.push_back(total * (k + 1) / (n + 1));
  return steps;
}

std::vector<std::filesystem::path> snapshot_checkpoints(const GanTrainOptions& options) {
  std::vector<std::filesystem::path> paths;
  for (const auto step : snapshot_steps(options))
    paths.push_back(std::filesystem::path(options.out_dir) / "checkpoints" / (step_name(step) + ".pt"));
  return paths;
}

std::string to_yaml(const GanTrainOptions& options) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const auto& f : fields()) {
    // Keys added later are written only when set, so that configs (and pipeline fingerprints) made before them stay
    // as they were.
    if (f.key == "init_from" && options.init_from.empty()) continue;
    if (f.key == "samples" && options.samples.empty()) continue;
    if ((f.key == "sample_modes" || f.key == "mode_noise_radius") && options.sample_modes.empty()) continue;
    if (f.key == "snapshots" && options.snapshots == 1) continue;
    if (f.key == "condition_on_modes" && options.condition_on_modes) continue;
    if (f.key == "mode_balance" && options.mode_balance == 0) continue;
    if ((f.key == "lambda_coverage" || f.key == "coverage_pool") && options.gan.lambda_coverage == 0) continue;
    if (f.key == "lambda_reconstruction" && options.gan.lambda_reconstruction == 0) continue;
    f.emit(options, out);
  }
  out << YAML::EndMap;
  return std::string("# osgan train-gan: resolved configuration\n") + diversity_pressure_note(options) + out.c_str() + "\n";
}

void apply_yaml(const YAML::Node& node, GanTrainOptions& options, const std::string& source) {
  if (node.IsNull()) return;
  if (!node.IsMap()) fail(ErrorCode::bad_format, source + ": expected a YAML mapping of option: value");
  for (const auto& item : node) {
    // A key that is a list or a map ("[a]: 1") would make yaml-cpp throw its own exception below.
    if (!item.first.IsScalar()) fail(ErrorCode::bad_format, source + ": every key must be an option name, found a list or map");
    // Keys and yaml-cpp's messages quote the file, line breaks included: keep the error on one line.
    const auto key = one_line(item.first.as<std::string>());
    const Field* found = nullptr;
    for (const auto& f : fields()) if (f.key == key) found = &f;
    if (!found) {
      std::string known;
      for (const auto& f : fields()) known += (known.empty() ? "" : ", ") + f.key;
      fail(ErrorCode::bad_format, source + ": unknown key \"" + key + "\" (known: " + known + ")");
    }
    try {
      found->read(options, item.second);
    } catch (const YAML::Exception& e) {
      fail(ErrorCode::bad_format, source + ": key \"" + key + "\": value of the wrong type (" + one_line(e.msg) + ")");
    } catch (const Error& e) {
      fail(ErrorCode::bad_format, source + ": " + one_line(e.what()));
    }
  }
  options.preprocess.size = options.gan.image_size;
  derive_mode_condition(options);
}

void derive_mode_condition(GanTrainOptions& options) {
  auto& gan = options.gan;
  gan.modes = 0;
  gan.mode_shares.clear();
  if (options.sample_modes.empty() || !options.condition_on_modes) return;
  const int k = *std::max_element(options.sample_modes.begin(), options.sample_modes.end()) + 1;
  if (k < 1 || k > 32) return;  // validate() names the fault
  std::vector<double> counts(static_cast<std::size_t>(k), 0.0);
  for (const auto m : options.sample_modes) if (m >= 0) counts[static_cast<std::size_t>(m)] += 1;
  gan.modes = k;
  for (const auto c : counts) gan.mode_shares.push_back(c / static_cast<double>(options.sample_modes.size()));
}

void apply_config_file(const std::filesystem::path& path, GanTrainOptions& options) {
  const auto text = read_text_file(path);
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail(ErrorCode::bad_format, path.string() + ": not valid YAML (" + one_line(e.msg) + " at line " +
         std::to_string(e.mark.line + 1) + ")");
  }
  apply_yaml(node, options, path.string());
}

GanTrainOptions options_from_yaml_text(const std::string& yaml, const std::string& source) {
  GanTrainOptions options;
  try {
    apply_yaml(YAML::Load(yaml), options, source);
  } catch (const YAML::Exception& e) {
    fail(ErrorCode::bad_format, source + ": configuration is not valid YAML (" + one_line(e.msg) + ")");
  }
  return options;
}

std::vector<std::string> resume_mismatches(const GanTrainOptions& a, const GanTrainOptions& b) {
  std::vector<std::string> keys;
  for (const auto& f : fields())
    if (f.must_match_on_resume && !f.equal(a, b)) keys.push_back(f.key);
  return keys;
}

std::vector<std::string> architecture_mismatches(const GanTrainOptions& a, const GanTrainOptions& b) {
  std::vector<std::string> keys;
  for (const auto& f : fields())
    if (shapes_the_networks(f.key) && !f.equal(a, b)) keys.push_back(f.key);
  return keys;
}

}  // namespace osgan
