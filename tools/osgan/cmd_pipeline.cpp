// osgan pipeline: audit -> split -> one GAN per class -> generate -> study -> external sets -> image quality -> report.
#include <iostream>

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
  cmd->add_option("--preset", options->preset, "cpu (32 px GANs: 5,000 steps on both classes, then 6,000 per class, "
                  "700 images per class from 5 snapshots, enlarged to 128 px; hours on 2 CPU cores, the README gives "
                  "measured times; see docs/one-shot-gan.md for what it draws), paper (the seed's schedule, 128 px; for a GPU) or smoke "
                  "(checks that all runs; its GANs draw textures)")
      ->capture_default_str();
  cmd->add_option("--classifier-preset", options->classifier_preset, "the study's classifier recipe: cpu, plain or "
                  "seed-resnet152v2 (default: cpu, or seed-resnet152v2 with --preset paper)");
  cmd->add_option("--config", options->config_file, "YAML overrides: sections gan, classifier, study, generate, split; "
                  "list external");
  cmd->add_option("--external", options->external, "a labelled dataset from another source (repeatable): every "
                  "classifier of the study is evaluated on it; never used for training or selection");
  cmd->add_option("--force", options->force, "redo a stage even if up to date (audit, split, gan, gan-<class>, ...)");
  cmd->add_option("--gan-seeds", options->gan_seeds_flag, "GANs per class, each with its own seed (default 1, or the "
                  "config's study.gan_seeds): every protocol with generated images is trained on each GAN's images, "
                  "and the intervals resample the GAN seeds too");
  cmd->add_flag("--sequential-gans", [options](std::int64_t) { options->gan_in_parallel = false; },
                "on the CPU, train the classes' GANs one after the other in this process (default: at once, one "
                "child process each)");
  cmd->add_flag("--sequential-study", [options](std::int64_t) { options->study_in_parallel = false; },
                "on the CPU, train the study's classifiers one after the other in this process on every thread "
                "(default: one child process per thread, each on one thread: 1.16x as fast on 2 cores)");
  cmd->add_option("--only", options->only, "run this one stage (a name from --plan) once every stage it needs is "
                  "complete; what a workflow engine runs for each job (docs/scale-out.md)");
  auto plan = std::make_shared<bool>(false);
  cmd->add_flag("--plan", *plan, "print the run's stages and what each needs as JSON, and exit (workflow/Snakefile "
                "reads it)");
  add_compute_options(cmd, *compute);
  cmd->callback([options, compute, plan] {
    apply_compute_options(*compute);
    options->device = compute->device;
    options->threads = compute->threads;
    options->seed = compute->seed;
    options->quiet = compute->quiet;
    if (*plan) {
      std::cout << plan_pipeline(*options).dump(1) << "\n";
      return;
    }
    run_pipeline(*options);
  });
}

}  // namespace

OSGAN_COMMAND(5, register_pipeline);

}  // namespace osgan::cli
