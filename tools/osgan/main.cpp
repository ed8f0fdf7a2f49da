// osgan: the command-line front end. Parses, dispatches to one subcommand, and catches every error in one
// place: exit 0 on success, 1 on a runtime error, 2 on a usage error.
#include <c10/util/Exception.h>

#include <iostream>

#include "commands.h"
#include "osgan/core/error.h"
#include "osgan/core/log.h"
#include "osgan/core/version.h"

namespace {

std::string command_name(CLI::App& app) {
  auto subs = app.get_subcommands();
  return subs.empty() ? std::string("osgan") : "osgan " + subs.front()->get_name();
}

// c10 messages carry a backtrace after the first line; keep one line unless --verbose.
std::string first_line(const std::string& text) {
  const auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"osgan: grow small medical image datasets with a One-Shot GAN, and measure whether it helps"};
  app.set_version_flag("--version", OSGAN_VERSION);
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "more output, and full backtraces on LibTorch errors");
  app.parse_complete_callback([&] {
    if (verbose) osgan::set_log_level(osgan::LogLevel::verbose);
  });
  osgan::cli::register_all_commands(app);

  try {
    app.parse(argc, argv);
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << command_name(app) << ": usage error: " << e.what() << "\n"
              << "Run '" << command_name(app) << " --help' for the options.\n";
    return 2;
  } catch (const osgan::Error& e) {
    std::cerr << command_name(app) << ": error: " << e.what() << "\n";
    if (e.code() == osgan::ErrorCode::interrupted) return 130;  // like a shell's Ctrl-C status
    return e.code() == osgan::ErrorCode::invalid_argument ? 2 : 1;
  } catch (const c10::Error& e) {
    std::cerr << command_name(app) << ": error: "
              << (verbose ? std::string(e.what()) : first_line(e.what_without_backtrace())) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << command_name(app) << ": error: " << e.what() << "\n";
    return 1;
  }
}
