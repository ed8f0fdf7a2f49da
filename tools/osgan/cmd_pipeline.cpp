// osgan pipeline: audit -> split -> one GAN per class -> generate -> study -> external sets -> image quality -> report.
#include "commands.h"
#include "common_options.h"
#include "osgan/pipeline/pipeline.h"

namespace osgan::cli {
namespace {

void register_pipeline(CLI::App& app) {
  auto options = std::make_shared<PipelineOptions>();
  auto compute = std::make_shared<ComputeOptions>();
  auto* cmd = app.add_subcommand("pipeline", "run the whole study: audit, split, GANs, generation, classifiers, report");
  cmd->add_option("--data", options->data, "dataset folder (one subfolder per class) or CSV of path,label")->required();
  cmd->add_option("--out", options->out_dir, "run folder (created; an existing one is resumed)")->required();
  cmd->add_option("--preset", options->preset, "cpu (64 px, 6,000 GAN steps per class: about 2 h 20 min on 2 cores; see docs/one-shot-gan.md for what it draws), paper (the seed's schedule; for a GPU) or smoke (checks that all runs; textures)")
      ->capture_default_str();
  cmd->add_option("--classifier-preset", options->classifier_preset, "the study's classifier recipe: cpu, plain or "
                  "seed-resnet152v2 (default: cpu, or seed-resnet152v2 with --preset paper)");
  cmd->add_option("--config", options->config_file, "YAML overrides: sections gan, classifier, study, generate, split; "
                  "list external");
  cmd->add_option("--external", options->external, "a labelled dataset from another source (repeatable): every "
                  "classifier of the study is evaluated on it; never used for training or selection");
  cmd->add_option("--force", options->force, "redo a stage even if up to date (audit, split, gan, gan-<class>, ...)");
  cmd->add_flag("--sequential-gans", [options](std::int64_t) { options->gan_in_parallel = false; },
                "on the CPU, train the classes' GANs one after the other in this process (default: at once, one "
                "child process each)");
  add_compute_options(cmd, *compute);
  cmd->callback([options, compute] {
    apply_compute_options(*compute);
    options->device = compute->device;
    options->threads = compute->threads;
    options->seed = compute->seed;
    options->quiet = compute->quiet;
    run_pipeline(*options);
  });
}

}  // namespace

OSGAN_COMMAND(5, register_pipeline);

}  // namespace osgan::cli
