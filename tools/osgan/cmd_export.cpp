// osgan export: the generator of a train-gan checkpoint as TorchScript, for torch.jit.load in Python.
#include <iostream>

#include "commands.h"
#include "osgan/core/log.h"
#include "osgan/train/export.h"

namespace osgan::cli {
namespace {

void register_export(CLI::App& app) {
  auto options = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand("export", "write a GAN checkpoint's generator as TorchScript (torch.jit.load)");
  cmd->add_option("--checkpoint", options->checkpoint, "RUN/checkpoints/latest.pt or step_XXXXXX.pt")->required();
  cmd->add_option("--out", options->out, "the TorchScript file to write, e.g. generator.pt")->required();
  cmd->add_flag("--no-ema", [options](std::int64_t) { options->use_ema = false; }, "export the raw generator, not EMA");
  auto quiet = std::make_shared<bool>(false);
  cmd->add_flag("-q,--quiet", *quiet, "print only warnings and errors");
  cmd->footer("In Python: g = torch.jit.load(FILE); x = g(torch.randn(16, g.noise_dim, 1, 1))  # (16, 1, S, S) in "
              "[-1, 1]. See docs/export.md.");
  cmd->callback([options, quiet] {
    if (*quiet) set_log_level(LogLevel::quiet);
    const auto summary = export_generator(*options);
    std::cout << summary.arch << " generator (step " << summary.checkpoint_step << ") written to "
              << options->out.string() << "\n";
  });
}

}  // namespace

OSGAN_COMMAND(45, register_export);

}  // namespace osgan::cli
