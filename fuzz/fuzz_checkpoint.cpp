// libFuzzer target for GAN checkpoints as `osgan generate` and `--resume` open them: the archive (LibTorch's
// deserializer), the osgan header in it, and the YAML config it carries.
#include <cstdlib>

#include "fuzz_support.h"
#include "osgan/train/checkpoint.h"

// A mutated byte almost never keeps its record's CRC-32 right, and the archive check refuses such files before
// anything else (src/osgan/io/torch_archive_check.h): skip that one check so the fuzzer reaches the zip layout,
// the pickles and LibTorch behind them.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("OSGAN_FUZZ_SKIP_ARCHIVE_CRC", "1", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto path = osgan::fuzz::scratch_path("latest.pt");
  osgan::fuzz::write_input(path, data, size);
  try {
    const osgan::CheckpointInfo info = osgan::read_checkpoint_info(path);
    osgan::options_from_yaml_text(info.config_yaml, path.string());
  } catch (const osgan::Error& e) {
    osgan::fuzz::expect_clean_error(e, path);
  }
  return 0;
}
