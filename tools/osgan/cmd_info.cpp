// osgan info: versions, devices and build flags.
#include <thread>

#include <iostream>

#include "commands.h"
#include "osgan/core/version.h"
#include "osgan/torch_info.h"

namespace osgan::cli {
namespace {

void run_info() {
  std::cout << "osgan       " << OSGAN_VERSION << " (" << OSGAN_BUILD_TYPE << ")\n"
            << "LibTorch    " << libtorch_version() << "\n"
            << "compiler    " << OSGAN_CXX_COMPILER << "\n"
            << "flags       " << OSGAN_CXX_FLAGS << "\n"
            << "CPU threads " << std::thread::hardware_concurrency() << " cores\n"
            << "CUDA        " << cuda_device_count() << " device(s)\n"
            << "parallel    \n" << blas_info();
}

void register_info(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "print versions, devices and build flags");
  cmd->callback(run_info);
}

}  // namespace

OSGAN_COMMAND(90, register_info);

}  // namespace osgan::cli
