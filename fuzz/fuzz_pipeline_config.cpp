// libFuzzer target for `osgan pipeline --config FILE`: the YAML sections (gan, classifier, study, generate, split)
// on top of the quick preset, then the range checks that run before any stage.
#include "fuzz_support.h"
#include "osgan/pipeline/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto path = osgan::fuzz::scratch_path("pipeline.yaml");
  osgan::fuzz::write_input(path, data, size);
  try {
    osgan::PipelineOptions options;
    options.config_file = path;
    osgan::resolve_pipeline_options(options);
  } catch (const osgan::Error& e) {
    // A value out of range names its key (split.val_fraction, ...); what the file's syntax breaks names the file.
    if (e.code() != osgan::ErrorCode::invalid_argument) osgan::fuzz::expect_clean_error(e, path);
    else osgan::fuzz::expect_one_line(e);
  }
  return 0;
}
