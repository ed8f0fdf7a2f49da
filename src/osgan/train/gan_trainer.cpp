// The GAN training loop. Its order per step: sample a batch (indices from LibTorch's generator), one
// Gan::train_step, check the losses, log them, then checkpoint / samples / interrupt when due. Every random
// draw comes from LibTorch's default generator, whose state is checkpointed, so resuming is exact on the CPU.
#include "osgan/train/gan_trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <fstream>
#include <iomanip>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "osgan/core/atomic_file.h"
#include "osgan/core/duration.h"
#include "osgan/core/error.h"
#include "osgan/core/log.h"
#include "osgan/core/one_line.h"
#include "osgan/data/dataset.h"
#include "osgan/data/split.h"
#include "osgan/io/png_writer.h"
#include "osgan/runtime/device.h"
#include "osgan/train/checkpoint.h"
#include "osgan/train/image_tensor.h"
#include "osgan/train/interrupt.h"
#include "osgan/train/mode_condition.h"
#include "osgan/train/nan_batch_injection.h"
#include "osgan/train/sample_grid.h"

namespace osgan {
namespace fs = std::filesystem;
namespace {

// "step 12 (arch dcgan)": where a fault happened, for messages.
std::string at_step(std::int64_t step, const std::string& arch) {
  return "at step " + std::to_string(step) + " (arch " + arch + ")";
}

std::string comma_separated(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The first entry of `run` that a starting run does not write before its config.yaml, or an empty path when there
// is none: the folder is absent, or holds at most the empty checkpoints/ and samples/ folders and temporaries of an
// interrupted write (`<name>.tmp.<pid>.<n>`, e.g. a config.yaml cut short by a kill). Such a folder holds nothing of a run.
fs::path first_entry_of_a_run(const fs::path& run) {
  std::error_code ec;
  if (!fs::exists(run, ec)) return {};
  if (!fs::is_directory(run, ec)) return run;
  for (const auto& entry : fs::directory_iterator(run, ec)) {
    if (is_temporary_file(entry.path())) continue;
    const auto name = entry.path().filename();
    if ((name == "checkpoints" || name == "samples") && entry.is_directory(ec)) {
      for (const auto& inner : fs::directory_iterator(entry.path(), ec))
        if (!is_temporary_file(inner.path())) return inner.path();
      continue;
    }
    return entry.path();
  }
  if (ec) fail(ErrorCode::io, "cannot list \"" + run.string() + "\" (" + ec.message() + ")");
  return {};
}

// Throws osgan::Error(numerical) naming every loss that is NaN or Inf.
void check_finite_losses(const StepLosses& losses) {
  std::string bad;
  for (const auto& [name, value] : losses)
    if (!std::isfinite(value)) bad += (bad.empty() ? "" : ", ") + name + " = " + std::to_string(value);
  if (!bad.empty()) fail(ErrorCode::numerical, "loss " + bad);
}

}  // namespace

std::vector<std::string> pooled_classes(const std::string& class_list) {
  std::vector<std::string> classes;
  std::stringstream in(class_list);
  for (std::string name; std::getline(in, name, ',');) {
    if (name.empty())
      fail(ErrorCode::invalid_argument, "--class \"" + class_list + "\": an empty class name. Hint: one class, or "
           "several joined by commas without spaces, e.g. tumor,normal.");
    if (std::find(classes.begin(), classes.end(), name) == classes.end()) classes.push_back(name);
  }
  if (classes.empty()) fail(ErrorCode::invalid_argument, "--class: expected a class name");
  return classes;
}

// The listed samples of `indices`, in the list's order. Every id must be one of them: a mode's list that names an
// image outside the class's training side would leak a held-out image into the GAN.
std::vector<std::size_t> only_listed_samples(const data::Dataset& dataset, const std::vector<std::size_t>& indices,
                                             const GanTrainOptions& options) {
  std::map<std::string, std::size_t> by_id;
  for (const auto i : indices) by_id[dataset.samples[i].id] = i;
  std::vector<std::size_t> kept;
  std::set<std::string> seen;
  for (const auto& id : options.samples) {
    const auto found = by_id.find(id);
    if (found == by_id.end())
      fail(ErrorCode::invalid_argument, "samples: \"" + one_line(id) + "\" is not a training image of class \"" +
           options.class_name + "\" in " + options.data_dir + (options.split_file.empty() ? "" : " (split " +
           options.split_file + ")") + ". Hint: list ids as split.json writes them, from the class's training side.");
    if (seen.insert(id).second) kept.push_back(found->second);
  }
  return kept;
}

torch::Tensor load_training_images(const GanTrainOptions& options) {
  auto preprocess = options.preprocess;
  preprocess.size = options.gan.image_size;
  if (!options.image_file.empty()) {
    const auto file = io::read_image_file(options.image_file);
    if (file.slices.size() != 1)
      log_warning(options.image_file + ": " + std::to_string(file.slices.size()) +
                  " slices; using the middle one as the single training image");
    const auto& slice = file.slices[file.slices.size() / 2];
    return images_to_tensor({data::preprocess_image(slice.image, preprocess)});  // (1, 1, S, S)
  }
  data::DatasetOptions dataset_options;
  dataset_options.preprocess = preprocess;
  const auto dataset = data::load_dataset(options.data_dir, dataset_options);
  const auto classes = pooled_classes(options.class_name);
  std::optional<data::Split> split;
  if (!options.split_file.empty()) split = data::read_split(options.split_file);
  std::vector<std::size_t> indices;
  for (const auto& class_name : classes) {
    if (std::find(dataset.classes.begin(), dataset.classes.end(), class_name) == dataset.classes.end()) {
      std::string known;
      for (const auto& c : dataset.classes) known += (known.empty() ? "" : ", ") + c;
      fail(ErrorCode::invalid_argument, options.data_dir + ": no class \"" + class_name + "\" (classes found: " + known +
           "). Hint: --class must name one of the class subfolders, or several joined by commas.");
    }
    const auto of_class = split ? data::select_samples(dataset, *split, data::Side::train, class_name)
                                : dataset.indices_of_class(class_name);
    if (of_class.empty())
      fail(ErrorCode::invalid_argument, options.data_dir + ": class \"" + class_name + "\" has no training images" +
           (options.split_file.empty() ? "" : " in " + options.split_file));
    indices.insert(indices.end(), of_class.begin(), of_class.end());
  }
  if (!options.samples.empty()) indices = only_listed_samples(dataset, indices, options);
  if (!split)
    log_warning("train-gan: no --split given, so the GAN sees ALL " + std::to_string(indices.size()) + " images of \"" +
                options.class_name + "\"; do not evaluate a classifier on any of them with its synthetic images");
  return samples_to_tensor(dataset, indices);  // (N, 1, S, S)
}

GanTrainer::GanTrainer(GanTrainOptions options, torch::Tensor images)
    : options_(std::move(options)), device_(torch::kCPU), run_(options_.out_dir), loss_log_(run_ / "losses.csv"),
      quality_log_(run_ / "quality.csv") {
  validate(options_);
  derive_mode_condition(options_);
  snapshot_steps_ = snapshot_steps(options_);
  const auto s = options_.gan.image_size;
  TORCH_CHECK(images.dim() == 4 && images.size(0) > 0 && images.size(1) == 1 && images.size(2) == s && images.size(3) == s,
              "GanTrainer: expected training images (N, 1, ", s, ", ", s, "), got ", images.sizes());
  device_ = parse_device(options_.device);
  images_ = images.to(device_, torch::kFloat32);
  if (!options_.sample_modes.empty()) {
    // load_training_images keeps the samples list's order, so row i is sample i and has mode sample_modes[i].
    TORCH_CHECK(images_.size(0) == static_cast<int64_t>(options_.sample_modes.size()), "GanTrainer: expected one "
                "training image per sample mode (", options_.sample_modes.size(), "), got ", images_.size(0));
    if (options_.gan.modes > 0)
      image_modes_ = torch::tensor(std::vector<int64_t>(options_.sample_modes.begin(), options_.sample_modes.end()));
  }
  batches_ = BatchSampler(images_.size(0), options_.sample_modes, options_.mode_balance);
}

fs::path GanTrainer::checkpoint_path(std::int64_t step) const {
  return run_ / "checkpoints" / (step_name(step) + ".pt");
}

void GanTrainer::save(std::int64_t step) {
  // The loss log goes first. A kill between the two writes then leaves the log ahead of the newest checkpoint, and
  // resuming drops the extra rows (LossLog::load_up_to); the other order could leave a checkpoint whose rows were
  // never written, and a resumed run would miss them for good.
  loss_log_.write();
  if (quality_probe_) quality_log_.write();
  const auto path = checkpoint_path(step);
  save_checkpoint(path, *gan_, step, options_, device_, recovery_);
  // latest.pt is a second copy (not a link) so that it survives pruning and copying the run folder.
  write_atomically(run_ / "checkpoints" / "latest.pt",
                   [&](const fs::path& tmp) { fs::copy_file(path, tmp, fs::copy_options::overwrite_existing); });
  last_checkpoint_ = path;
  prune_checkpoints();
}

void GanTrainer::apply_learning_rates() {
  gan_->set_learning_rates(options_.gan.lr_g * recovery_.lr_scale, options_.gan.lr_d * recovery_.lr_scale);
}

std::int64_t GanTrainer::roll_back(std::int64_t step, const std::string& fault) {
  const std::string last_good = last_checkpoint_.empty() ? std::string("none yet") : last_checkpoint_.string();
  if (recovery_.rollbacks >= options_.max_rollbacks)
    fail(ErrorCode::numerical, "train-gan: " + fault + " " + at_step(step, options_.gan.arch) + ", after " +
         std::to_string(recovery_.rollbacks) + " rollback(s) with halved learning rates (max_rollbacks " +
         std::to_string(options_.max_rollbacks) + "). Last good checkpoint: " + last_good +
         ". Hint: resume from it with lower lr_g and lr_d (--config), or check the training images for NaNs.");
  ++recovery_.rollbacks;
  recovery_.lr_scale *= 0.5;
  std::int64_t back_to = 0;
  if (last_checkpoint_.empty()) {
    // Before the first checkpoint: the run's start is reproducible from the seed, as in run().
    build_initial_gan(/*load_init_from=*/true);
  } else {
    back_to = load_checkpoint(last_checkpoint_, *gan_, device_, /*restore_rng=*/true).step;
  }
  apply_learning_rates();
  loss_log_.drop_after(back_to);
  quality_log_.drop_after(back_to);
  std::ostringstream rates;
  rates << "lr_g " << options_.gan.lr_g * recovery_.lr_scale << ", lr_d " << options_.gan.lr_d * recovery_.lr_scale;
  log_warning("train-gan: " + fault + " " + at_step(step, options_.gan.arch) + "; rolled back to step " +
              std::to_string(back_to) + " (" + (last_checkpoint_.empty() ? std::string("initial weights") : last_good) +
              ") with halved learning rates (" + rates.str() + "), rollback " + std::to_string(recovery_.rollbacks) +
              " of at most " + std::to_string(options_.max_rollbacks));
  return back_to;
}

void GanTrainer::prune_checkpoints() {
  if (options_.keep_checkpoints == 0) return;
  std::vector<fs::path> steps;
  for (const auto& entry : fs::directory_iterator(run_ / "checkpoints")) {
    const auto name = entry.path().filename().string();
    if (name.rfind("step_", 0) == 0 && entry.path().extension() == ".pt") steps.push_back(entry.path());
  }
  // Snapshots are what generation draws from: they stay, and do not count against keep_checkpoints.
  std::vector<fs::path> snapshots;
  for (const auto& path : snapshot_checkpoints(options_)) snapshots.push_back(path.filename());
  steps.erase(std::remove_if(steps.begin(), steps.end(), [&](const fs::path& p) {
                return std::find(snapshots.begin(), snapshots.end(), p.filename()) != snapshots.end();
              }), steps.end());
  std::sort(steps.begin(), steps.end());
  for (std::size_t i = 0; i + options_.keep_checkpoints < steps.size(); ++i) fs::remove(steps[i]);
}

void GanTrainer::write_samples(std::int64_t step, const torch::Tensor& grid_noise, GanTrainSummary& summary) {
  const auto n = std::min<std::int64_t>(grid_noise.size(0), images_.size(0));
  const auto real = make_image_grid(images_.slice(0, 0, n));
  const auto fake = make_image_grid(gan_->generate(grid_noise));
  const auto path = run_ / "samples" / (step_name(step) + ".png");
  io::write_png_grey8(path, side_by_side(real, fake),
                      {{"Description", "left: real training images; right: SYNTHETIC images from osgan, step " +
                                           std::to_string(step)},
                       {"osgan:synthetic", "right half is synthetic, not patient data"},
                       {"osgan:arch", options_.gan.arch}});
  summary.last_samples = path;
}

void GanTrainer::start_over_unless_another_run() {
  // A run killed before its first checkpoint left its resolved config: the same command with --resume (what a user
  // or a scheduler repeats after a crash) starts it again from step 0, which is what resuming it means. Killed before
  // its config.yaml, it left nothing of itself, and so does a folder that holds nothing of a run: it starts too.
  const auto latest = run_ / "checkpoints" / "latest.pt";
  const auto config = run_ / "config.yaml";
  const auto start_again = [&] {
    log_warning("train-gan: " + run_.string() + ": the run stopped before its first checkpoint; starting it again from step 0");
    options_.resume = false;
  };
  if (!fs::exists(config)) {
    const auto foreign = first_entry_of_a_run(run_);
    if (!foreign.empty())
      fail(ErrorCode::invalid_argument, "--resume: " + run_.string() + " holds no checkpoint (" + latest.string() +
           ") and no config.yaml of a started run, but other files, e.g. " + foreign.string() + ". Hint: give the --out "
           "folder of a train-gan run, or a new or empty folder (it starts a run).");
    start_again();
    return;
  }
  const auto started = options_from_yaml_text(read_text_file(config), config.string());
  inherit_init_from(started);
  const auto differ = resume_mismatches(started, options_);
  if (!differ.empty()) {
    fail(ErrorCode::invalid_argument, "--resume: these options differ from the run started in " + config.string() +
         ": " + comma_separated(differ) + ". Hint: resume with the same options, or choose another --out folder.");
  }
  start_again();
}

void GanTrainer::inherit_init_from(const GanTrainOptions& started) {
  // "Continue this run" needs no reminder of where it was fine-tuned from; a different source is still refused.
  if (options_.init_from.empty()) options_.init_from = started.init_from;
}

void GanTrainer::build_initial_gan(bool load_init_from) {
  // Seeding before building the model makes the initial weights reproducible too.
  seed_everything(options_.seed);
  gan_ = make_gan(options_.gan, device_);
  if (!load_init_from || options_.init_from.empty()) return;
  const fs::path source = options_.init_from;
  const auto path = fs::is_directory(source) ? source / "checkpoints" / "latest.pt" : source;
  if (!fs::is_regular_file(path))
    fail(ErrorCode::invalid_argument, "init_from: " + path.string() + " does not exist. Hint: give a GAN checkpoint "
         "(.pt) or the --out folder of a train-gan run that has saved one.");
  const auto header = read_checkpoint_info(path);
  const auto source_options = options_from_yaml_text(header.config_yaml, path.string());
  if (source_options.gan.modes > 0 && source_options.gan.modes != options_.gan.modes)
    fail(ErrorCode::invalid_argument, "init_from: " + path.string() + " is conditioned on " +
         std::to_string(source_options.gan.modes) + " modes, this run on " + std::to_string(options_.gan.modes) +
         ". Hint: fine-tune a conditioned GAN with the same modes, or start from an unconditioned run.");
  const auto differ = architecture_mismatches(source_options, options_);
  if (!differ.empty())
    fail(ErrorCode::invalid_argument, "init_from: " + path.string() + " holds another network (" + comma_separated(differ) +
         " differ). Hint: fine-tune with the same architecture and sizes as that run (see its config.yaml).");
  load_checkpoint(path, *gan_, device_, /*restore_rng=*/false);
  apply_learning_rates();  // the optimizer states came with the checkpoint, its learning rates must not
  log_info("[train-gan] starting from " + path.string() + " (step " + std::to_string(header.step) + " of a run on " +
           (source_options.class_name.empty() ? source_options.image_file : "class \"" + source_options.class_name + "\"") +
           ")");
}

GanTrainSummary GanTrainer::run() {
  const auto latest = run_ / "checkpoints" / "latest.pt";
  if (options_.resume && !fs::exists(latest)) start_over_unless_another_run();
  if (!options_.resume && fs::exists(latest))
    fail(ErrorCode::invalid_argument, "--out " + run_.string() + " already holds a run (" + latest.string() +
         "). Hint: add --resume to continue it, or choose another --out folder.");
  fs::create_directories(run_ / "checkpoints");
  fs::create_directories(run_ / "samples");
  // Left by a process killed mid-write, resumed or not (killed before its first checkpoint, a run starts afresh).
  const int stale = remove_temporary_files(run_);
  if (stale > 0) log_info("[train-gan] removed " + std::to_string(stale) + " partial file(s) of an interrupted write");

  // A resumed run loads its own checkpoint below, so the init_from source is not read again (it may be gone).
  build_initial_gan(/*load_init_from=*/!options_.resume);
  GanTrainSummary summary;
  if (options_.resume) {
    const auto saved = options_from_yaml_text(read_checkpoint_info(latest).config_yaml, latest.string());
    inherit_init_from(saved);
    const auto differ = resume_mismatches(saved, options_);
    if (!differ.empty()) {
      fail(ErrorCode::invalid_argument, "--resume: these options differ from the checkpointed run " + latest.string() +
           ": " + comma_separated(differ) + ". Hint: resume with the same options (see " + (run_ / "config.yaml").string() + ").");
    }
    const auto info = load_checkpoint(latest, *gan_, device_, /*restore_rng=*/true);
    summary.start_step = info.step;
    recovery_ = info.recovery;
    apply_learning_rates();
    last_checkpoint_ = latest;
    loss_log_.load_up_to(summary.start_step);
    quality_log_.load_up_to(summary.start_step);
  }
  if (options_.quality_every > 0) {
    if (images_.size(0) < 4)
      log_warning("train-gan: --quality-every needs at least 4 training images to score against, found " +
                  std::to_string(images_.size(0)) + "; no quality.csv for this run");
    else
      quality_probe_ = std::make_unique<GanQualityProbe>(images_.cpu(), options_.quality_count,
                                                         options_.gan.noise_dim, options_.seed);
  }
  write_text_atomically(run_ / "config.yaml", to_yaml(options_));
  log_info("[train-gan] arch " + options_.gan.arch + ", " + std::to_string(gan_->parameter_count()) +
           " parameters, device " + device_.str() + ", " + std::to_string(images_.size(0)) + " training images of " +
           std::to_string(options_.gan.image_size) + "x" + std::to_string(options_.gan.image_size) + ", batch " +
           std::to_string(options_.batch_size) + ", steps " + std::to_string(summary.start_step) + " -> " +
           std::to_string(options_.steps) + ", run folder " + run_.string());

  // The sample grids always show the same noise, drawn from their own generator: sampling never moves the
  // training's random stream.
  auto grid_generator = at::detail::createCPUGenerator(options_.seed ^ 0x5eed9a11dULL);
  auto grid_noise = torch::randn({options_.grid_count, options_.gan.noise_dim, 1, 1}, grid_generator);
  if (options_.gan.modes > 0)  // a conditioned GAN's grid cycles through its modes: image i in mode i mod K
    grid_noise = with_mode(grid_noise, torch::arange(options_.grid_count) % options_.gan.modes, options_.gan);

  NanBatchInjection nan_injection;  // a test seam; inactive unless its environment variable is set
  std::deque<StepLosses> recent;
  InterruptGuard interrupt_guard;
  const auto t0 = std::chrono::steady_clock::now();
  auto last_progress = t0;
  std::int64_t steps_run = 0;  // in this session, replays after a rollback included
  const auto seconds_since = [](auto t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };

  for (std::int64_t step = summary.start_step + 1; step <= options_.steps; ++step) {
    const auto index = batches_.draw(options_.batch_size);                                    // (B,)
    auto batch = images_.index_select(0, index.to(device_));                                  // (B, 1, S, S)
    if (nan_injection.poison(step)) batch = torch::full_like(batch, std::numeric_limits<float>::quiet_NaN());
    StepLosses losses;
    try {
      losses = image_modes_.defined() ? gan_->train_step_in_modes(batch, image_modes_.index_select(0, index))
                                      : gan_->train_step(batch);
      check_finite_losses(losses);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::numerical) throw;
      step = roll_back(step, e.what());  // the loop goes on after the step it returned to
      recent.clear();
      continue;
    }

    ++steps_run;
    loss_log_.add(step, losses);
    recent.push_back(losses);
    if (recent.size() > 100) recent.pop_front();
    if (on_step) on_step(step, losses);

    const bool interrupted = InterruptGuard::requested();
    const bool last = step == options_.steps;
    // Samples first: a checkpoint then implies that the samples up to its step exist.
    const bool quality_due = quality_probe_ && (step % options_.quality_every == 0 || last);
    // A scored step always keeps its sample grid, so the numbers can be read beside what they measure.
    if (step % options_.sample_every == 0 || last || quality_due) write_samples(step, grid_noise, summary);
    if (quality_due) quality_log_.add(step, quality_probe_->score(*gan_));
    const bool snapshot = std::binary_search(snapshot_steps_.begin(), snapshot_steps_.end(), step);
    if (step % options_.checkpoint_every == 0 || last || interrupted || snapshot) save(step);
    summary.steps = step;
    if (interrupted)
      fail(ErrorCode::interrupted, "train-gan: interrupted at step " + std::to_string(step) + "; checkpoint saved to " +
           last_checkpoint_.string() + ". Hint: continue with the same command plus --resume.");

    if (seconds_since(last_progress) >= options_.progress_seconds || last) {
      last_progress = std::chrono::steady_clock::now();
      const double elapsed = seconds_since(t0);
      const double rate = static_cast<double>(steps_run) / std::max(elapsed, 1e-9);
      std::ostringstream line;
      line << "step " << step << "/" << options_.steps << "  " << std::fixed << std::setprecision(2) << rate
           << " steps/s  ETA " << format_duration(static_cast<double>(options_.steps - step) / rate);
      for (const auto& kv : losses) line << "  " << kv.first << " " << std::setprecision(3) << kv.second;
      log_info(line.str());
    }
  }

  summary.steps = std::max(summary.steps, summary.start_step);
  summary.seconds = seconds_since(t0);
  for (const auto& losses : recent)
    for (const auto& [name, value] : losses) summary.final_losses[name] += value / static_cast<double>(recent.size());
  summary.last_checkpoint = last_checkpoint_;
  nlohmann::json json = {{"format", "osgan-gan-run"},
                         {"version", 1},
                         {"arch", options_.gan.arch},
                         {"class", options_.class_name},
                         {"init_from", options_.init_from},
                         {"image", options_.image_file},
                         {"training_images", images_.size(0)},
                         {"parameters", gan_->parameter_count()},
                         {"device", device_.str()},
                         {"start_step", summary.start_step},
                         {"steps", summary.steps},
                         {"seconds", summary.seconds},
                         {"steps_per_second", static_cast<double>(summary.steps - summary.start_step) /
                                                  std::max(summary.seconds, 1e-9)},
                         {"final_losses", summary.final_losses},
                         {"rollbacks", recovery_.rollbacks},
                         {"lr_g", options_.gan.lr_g * recovery_.lr_scale},
                         {"lr_d", options_.gan.lr_d * recovery_.lr_scale},
                         {"checkpoint", last_checkpoint_.string()},
                         {"samples", summary.last_samples.string()}};
  // The snapshots reached so far, relative to the run folder: `osgan generate --checkpoint RUN` takes them all.
  json["snapshots"] = nlohmann::json::array();
  for (const auto& path : snapshot_checkpoints(options_))
    if (fs::exists(path)) json["snapshots"].push_back((fs::path("checkpoints") / path.filename()).generic_string());
  write_text_atomically(run_ / "summary.json", json.dump(2) + "\n");
  return summary;
}

GanTrainSummary train_gan(const GanTrainOptions& given) {
  validate(given);
  auto options = given;
  derive_mode_condition(options);
  make_gan(options.gan, torch::kCPU);  // an unknown or unbuilt --arch, or a bad size, fails before the data loads
  GanTrainer trainer(options, load_training_images(options));
  return trainer.run();
}

}  // namespace osgan
