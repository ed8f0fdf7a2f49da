#include "fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace osgan::fuzz {

namespace {

[[noreturn]] void abort_with(const std::string& what) {
  std::fprintf(stderr, "osgan fuzz: %s\n", what.c_str());
  std::abort();
}

std::filesystem::path scratch_dir() {
  static const std::filesystem::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/osgan-fuzz-XXXXXX";
    if (!::mkdtemp(pattern.data())) abort_with("cannot create a scratch folder from " + pattern);
    // The folder holds one input at a time; remove it when the fuzzer exits normally.
    static const std::string remove_at_exit = pattern;
    std::atexit([] { std::filesystem::remove_all(remove_at_exit); });
    return std::filesystem::path(pattern);
  }();
  return dir;
}

}  // namespace

std::filesystem::path scratch_path(const std::string& name) {
  const std::filesystem::path path = scratch_dir() / name;
  std::filesystem::create_directories(path.parent_path());
  return path;
}

void write_input(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out.flush()) abort_with("cannot write the input to " + path.string());
}

void expect_one_line(const osgan::Error& error) {
  const std::string message = error.what();
  if (message.empty()) abort_with("osgan::Error with an empty message");
  if (message.find('\n') != std::string::npos) abort_with("osgan::Error message spans several lines: " + message);
}

void expect_clean_error(const osgan::Error& error, const std::filesystem::path& path) {
  expect_one_line(error);
  const std::string message = error.what();
  if (message.find(path.string()) == std::string::npos)
    abort_with("osgan::Error message does not name the file " + path.string() + ": " + message);
}

}  // namespace osgan::fuzz
