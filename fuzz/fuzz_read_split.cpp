// libFuzzer target for read_split (split.json, written by `osgan split` and read by every later stage).
#include "fuzz_support.h"
#include "osgan/data/split.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto path = osgan::fuzz::scratch_path("split.json");
  osgan::fuzz::write_input(path, data, size);
  try {
    osgan::data::read_split(path);
  } catch (const osgan::Error& e) {
    osgan::fuzz::expect_clean_error(e, path);
  }
  return 0;
}
