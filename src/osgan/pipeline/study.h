// The augmentation study: does synthetic data help a tumour classifier? Trains one classifier per protocol and
// seed and evaluates every one on the same REAL validation images (the held-out side of the split, which never
// touches GAN training or model selection). Protocols (seed.md and the BrainGAN paper):
//   real                      real training images only
//   real_classical            real + classical augmentation (flips, small affine, intensity): the sceptic's baseline
//   synthetic                 generated images only (BrainGAN: train on fakes, test on reals)
//   real_synthetic            real + generated
//   real_synthetic_classical  real + generated + classical augmentation
// Uncertainty: a two-level percentile bootstrap that resamples the seeds (runs) and the validation images; the
// difference of each protocol against "real" is paired: the same image resample and the same classifier seeds.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "osgan/data/dataset.h"
#include "osgan/train/classifier_trainer.h"

namespace osgan {

std::vector<std::string> study_protocol_names();

// A classifier of the study that is not trained yet, as StudyOptions::train_elsewhere receives it.
struct PendingStudyRun {
  std::string protocol;
  int gan = 0;  // which GAN seed's images it trains on (1, 2, ...); 0 for a protocol without generated images
  std::uint64_t seed = 0;
  std::string name;  // for progress lines: "real_synthetic seed 2"
  double work = 0;   // its training images times its epochs: what its time grows with
};

struct StudyOptions {
  std::filesystem::path data;                                // the real dataset
  std::filesystem::path split;                               // its split (train side trains, val side evaluates)
  // class -> folder of generated images, one map per GAN seed. With more than one, every protocol that uses generated
  // images trains once per GAN seed and classifier seed, and the bootstrap resamples the GAN seeds as a level of its
  // own, so the intervals hold the GAN's own variance (pipeline --gan-seeds).
  std::vector<std::map<std::string, std::filesystem::path>> synthetic;
  std::vector<std::string> protocols = study_protocol_names();  // and any ratio protocol (ratio_protocol.h)
  // The synthetic:real ratio sweep: each ratio x filter adds the protocol "real_synthetic_r<ratio>_<filter>"
  // (expanded into `protocols` by the pipeline's resolve_pipeline_options). Config: study.ratios, study.ratio_filters.
  std::vector<double> ratios;
  std::vector<std::string> ratio_filters = {"none", "nearest"};
  std::vector<std::uint64_t> seeds = {1, 2, 3};
  ClassifierTrainOptions classifier;                         // its augment options serve the *_classical protocols
  std::string positive_class = "tumor";
  int bootstrap_resamples = 2000;
  std::filesystem::path out_dir;                             // per-run folders and study.json
  std::vector<int> gans;      // GAN seeds (1-based) whose runs to train; empty: all of them (a workflow job: one)
  bool write_summary = true;  // false: train and save the runs only (one job of a workflow), no study.json
  // When set, run_study hands it every run not done yet, before it trains any, and then reuses what it saved (a run
  // is reused only when its saved fingerprint matches, as on a resume). The pipeline trains them in child processes,
  // two at a time on two cores. Unset: run_study trains them one after the other itself.
  std::function<void(const std::vector<PendingStudyRun>&)> train_elsewhere;
};

struct StudyRun {
  std::string protocol;
  std::uint64_t seed = 0;
  int gan = 0;  // which GAN seed's images it trained on (1, 2, ...); 0 for a protocol without generated images
  std::int64_t train_images = 0;
  std::vector<double> probabilities;  // on the validation images, in their order
  double seconds = 0;
  int threads = 0;  // LibTorch threads it trained on (it changes the result, docs/study.md); 0: not recorded
};

// The folder of one run in out_dir: "<protocol>/seed_<s>", or "<protocol>/gan<g>_seed_<s>" for GAN seeds after the
// first (a study with one GAN seed keeps the folders it always had).
std::filesystem::path study_run_folder(const std::string& protocol, int gan, std::uint64_t seed);

// Runs (or resumes: a run whose result file matches its configuration is reused) every protocol x seed, writes
// out_dir/<protocol>/seed_<s>/{metrics.json, predictions.csv} and out_dir/study.json, and returns study.json's
// content: classification.<protocol>.<metric> = {mean, ci95, runs}, delta_vs_real, roc, confusion, and
// synthetic_per_class.<protocol>.<class> = the generated images each protocol adds.
nlohmann::json run_study(const StudyOptions& options, const data::PreprocessOptions& preprocess);

// The aggregation alone (tested on its own): labels of the validation images, and every run's probabilities. A
// protocol with runs from several GAN seeds needs the same classifier seeds for each; its entry gets "gan_seeds".
nlohmann::json summarize_study(const std::vector<int>& labels, const std::vector<StudyRun>& runs,
                               int bootstrap_resamples, std::uint64_t seed, double threshold = 0.5);

// The interval of summarize_study (exposed for its known-answer tests): NaN samples dropped, then the (1 - c) / 2 and
// (1 + c) / 2 quantiles, interpolated linearly between order statistics (numpy's default); NaN when none is left.
std::pair<double, double> percentile_interval(std::vector<double> samples, double confidence = 0.95);

}  // namespace osgan
