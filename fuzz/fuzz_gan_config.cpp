// libFuzzer target for the YAML training config (`osgan train-gan --config FILE`, and the config stored in
// every checkpoint): parsing, then the range checks that run before any training.
#include "fuzz_support.h"
#include "osgan/train/gan_train_options.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto path = osgan::fuzz::scratch_path("config.yaml");
  osgan::fuzz::write_input(path, data, size);
  try {
    osgan::GanTrainOptions options;
    osgan::apply_config_file(path, options);
    osgan::validate(options);
  } catch (const osgan::Error& e) {
    // validate names the option, not the file; only parse errors must name it.
    if (e.code() != osgan::ErrorCode::invalid_argument) osgan::fuzz::expect_clean_error(e, path);
  }
  return 0;
}
