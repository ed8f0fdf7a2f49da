// The CLI's subcommands. Each cmd_<name>.cpp binds flags to a library options struct and calls the library;
// it registers itself through OSGAN_COMMAND so that main.cpp needs no list of commands.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace osgan::cli {

using RegisterFn = std::function<void(CLI::App& app)>;

// `order` sorts the commands in --help (pipeline stages first).
struct CommandRegistration {
  CommandRegistration(int order, RegisterFn fn);
};

void register_all_commands(CLI::App& app);

}  // namespace osgan::cli

#define OSGAN_CONCAT_INNER(a, b) a##b
#define OSGAN_CONCAT(a, b) OSGAN_CONCAT_INNER(a, b)
#define OSGAN_COMMAND(order, fn) \
  static ::osgan::cli::CommandRegistration OSGAN_CONCAT(osgan_command_registration_, __LINE__)(order, fn)
