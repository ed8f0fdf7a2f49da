// Runs a decoding library that may abort in a child process of its own. Debian's GDCM keeps its asserts, and
// fuzzing keeps finding new ones (docs/hardening.md): osgan checks the structure of every DICOM file before GDCM
// sees it, but cannot foresee every assert. In a child, an abort ends the child, and the caller gets the one-line
// error osgan promises instead of losing the whole run. Linux and other POSIX systems (fork). Internal to io.
#pragma once
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace osgan::io::detail {

// Runs `work` in a forked child and returns the bytes it returned. An osgan::Error thrown by `work` is thrown
// again here, same code and message. A child killed by a signal (an assert's abort, a segfault) or still running
// after `timeout` fails with bad_format naming `path` and saying that `library` gave up on it.
// In a sanitizer build a child that exits on a sanitizer report aborts the caller too, so fuzzing still sees
// osgan's own bugs; with OSGAN_IN_PROCESS_DECODERS=1 in the environment, `work` runs in this process (for fuzzing
// the library itself, when its aborts are what one wants to find).
std::vector<char> call_isolated(const std::filesystem::path& path, const std::string& library,
                                const std::function<std::vector<char>()>& work,
                                std::chrono::milliseconds timeout = std::chrono::minutes(2));

// False when OSGAN_IN_PROCESS_DECODERS=1.
bool decoders_isolated();

}  // namespace osgan::io::detail
