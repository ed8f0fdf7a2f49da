// Shared by the libFuzzer targets: each parser of outside input is reached through its public entry point,
// which takes a path, so the fuzzer's bytes are written to a scratch file first. A target passes when the
// parser returns or throws osgan::Error with one clean line naming the file; anything else (a crash, a
// sanitizer report, another exception type, a multi-line message) aborts and libFuzzer records the input.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "osgan/core/error.h"

namespace osgan::fuzz {

// A path named `name` inside this process's own scratch folder (created once, under TMPDIR or /tmp).
std::filesystem::path scratch_path(const std::string& name);

// Replaces the file at `path` with exactly these bytes.
void write_input(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size);

// Aborts unless `error`'s message is a single non-empty line (for errors that name an option, not a file).
void expect_one_line(const osgan::Error& error);

// Aborts unless `error` is the clean one-line failure osgan promises: non-empty, a single line, naming `path`.
void expect_clean_error(const osgan::Error& error, const std::filesystem::path& path);

}  // namespace osgan::fuzz
