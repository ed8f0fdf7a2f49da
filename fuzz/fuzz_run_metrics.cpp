// libFuzzer target for load_run_metrics (RUN/metrics.json, read by `osgan report` and by other tools).
#include "fuzz_support.h"
#include "osgan/report/run_metrics.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto path = osgan::fuzz::scratch_path("metrics.json");
  osgan::fuzz::write_input(path, data, size);
  try {
    osgan::report::load_run_metrics(path);
  } catch (const osgan::Error& e) {
    osgan::fuzz::expect_clean_error(e, path);
  }
  return 0;
}
