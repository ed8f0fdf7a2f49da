// `osgan pipeline`: the seed study's whole experiment in one call. Stages, each writing into the run folder RUN
// and skipped when its outputs are complete and its inputs and config are unchanged (so a stopped run resumes):
//   audit -> split -> [gan/_anatomy] -> gan/<class> -> [upsampler/<class>] -> generate/<class> -> study -> external/<set> -> image-quality/<class> -> report
// The held-out validation images are used only by the study's evaluation: never by GAN training, the generator's
// selection or classifier early stopping.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osgan/pipeline/study.h"
#include "osgan/train/gan_train_options.h"
#include "osgan/train/upsampler_trainer.h"

namespace osgan {

struct PipelineOptions {
  std::filesystem::path data;     // the real dataset (folder per class, or CSV)
  std::filesystem::path out_dir;  // RUN
  std::string classifier_preset;  // empty: the preset's ("cpu", or "seed-resnet152v2" for paper); see classifier_presets.h
  std::string preset = "cpu";     // "cpu" (the budget of 2 CPU cores), "paper" (the seed's schedule, for a GPU) or
                                  // "smoke" (everything runs; its GANs draw textures)
  std::filesystem::path config_file;  // optional YAML: sections gan, classifier, study, generate, split
  std::string device = "auto";
  int threads = 0;
  std::uint64_t seed = 1;
  std::vector<std::string> force;  // stage names to redo ("audit", "split", "gan", "generate", "study", ...)
  bool gan_in_parallel = true;     // on the CPU, train the classes' GANs at once, one child process each
  bool study_in_parallel = true;   // on the CPU, train the study's classifiers one child process per thread
  bool quiet = false;
  // Runs this one stage only (a name from --plan): every stage it needs must be complete, the others are left
  // as they are. What a workflow engine calls for each of its jobs (workflow/Snakefile). Empty: every stage.
  std::string only;
  // External sets (another source's labelled images): every classifier of the study is evaluated on each after
  // the study; never used for training, tuning or selection. Also the config file's top-level "external" list.
  std::vector<std::filesystem::path> external;

  // Resolved from the preset and the config file (fill_pipeline_defaults):
  double val_fraction = 0.3;
  GanTrainOptions gan;            // per class: data, class, split and out_dir are set by the pipeline
  // > 0: an anatomy stage first trains one GAN on the training images of every class for this many steps
  // (RUN/gan/_anatomy); each class's GAN then starts from it (init_from) and trains gan.steps steps on its class
  // alone. 0: each class's GAN starts from fresh weights. Config: gan.anatomy_steps. Preset cpu: 5,000 (then
  // 6,000 per class, generating from 5 snapshots of each: gan.snapshots); smoke and paper: 0.
  int anatomy_steps = 0;
  // One GAN per mode of each class (pipeline/mode_gans.h): the class's training side is split into its modes
  // (contrast and plane), each mode's slices fine-tune their own GAN (from the anatomy stage when there is one), and
  // generation draws each mode in its share of the class's training slices. Config: gan.per_mode. Off in every preset.
  bool per_mode = false;
  // One GAN per class conditioned on the modes of its training side (GanConfig::modes; Liu et al., CVPR 2020): the
  // modes fitted as for per_mode, each training slice's mode given to G (as a noise mean) and D (a projection in
  // the content branch), and generation drawing each mode in its share. Config: gan.mode_condition. Off in every
  // preset; not with per_mode.
  bool mode_condition = false;
  // > 0: the cascade (train/upsampler_trainer.h). Each class GAN gets an upsampler trained on that class's
  // training images (RUN/upsampler/<class>), and generation enlarges every image to this size with it, e.g. the
  // 32 px GAN's images to the seed's 128 px. Config: upsampler.size; its other keys (steps, batch, crop, channels,
  // blocks, lr, adversarial, input_noise) set `upsampler`. Preset cpu: 128 (4,000 steps); smoke and paper: 0 (off).
  int upsample_to = 0;
  UpsamplerTrainOptions upsampler;  // gan_run, size, out_dir, seed and device are set by the pipeline
  // The study's classifiers read every image (real, generated, external) at this size; the GANs, the audit and the
  // split keep the GAN's. 0: the size the generated images are drawn at (the cascade's when it is on, else the
  // GAN's): preset cpu 128 (chosen by cross-validation on the training side, docs/study.md), smoke and paper the
  // GAN's. Config: classifier.image_size.
  int classifier_image_size = 0;
  int generate_count = 700;       // per class (seed.md, BrainGAN)
  // GANs per class, each with its own seed (--gan-seeds, config study.gan_seeds): the study trains every protocol
  // with generated images once per GAN seed, and its intervals resample the GAN seeds too. 1 in every preset.
  int gan_seeds = 1;
  int gan_seeds_flag = -1;        // --gan-seeds as given (-1: not given); it wins over the config file
  StudyOptions study;             // data, split, synthetic and out_dir are set by the pipeline
};

// The preset's settings, then the config file's. Throws osgan::Error for an unknown preset or a bad file.
void resolve_pipeline_options(PipelineOptions& options);

// The stage names in order, for --force and the progress display.
std::vector<std::string> pipeline_stage_names();

// The run's stages and what each needs (stage_plan.h), as `osgan pipeline --plan` prints them. Reads the dataset's
// class names and checks the external sets, like the run itself; writes nothing.
nlohmann::json plan_pipeline(PipelineOptions options);

// Runs every stage (or options.only); returns metrics.json's content (an empty object for a single other stage). Throws osgan::Error on a fault (earlier stages' outputs stay).
nlohmann::json run_pipeline(PipelineOptions options);

}  // namespace osgan
