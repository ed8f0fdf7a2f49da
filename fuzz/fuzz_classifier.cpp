// libFuzzer target for a trained classifier folder as `osgan evaluate` and `osgan classify` open it:
// classifier.json (model config, classes, preprocessing) and model.pt (LibTorch archive of the weights).
// One input holds both files: the JSON text, the 8 bytes "\0OSGANPT", then model.pt's bytes
// (fuzz/corpus/classifier/ holds such files made by fuzz_make_corpus).
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "fuzz_support.h"
#include "osgan/train/classifier_checkpoint.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("OSGAN_FUZZ_SKIP_ARCHIVE_CRC", "1", 1);  // as in fuzz_checkpoint.cpp: reach past the CRC
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto folder = osgan::fuzz::scratch_path("classifier");
  std::filesystem::create_directories(folder);
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view marker("\0OSGANPT", 8);
  const std::size_t split = input.find(marker);
  const std::string_view json = input.substr(0, split);
  const std::string_view weights = split == std::string_view::npos ? std::string_view() : input.substr(split + marker.size());
  osgan::fuzz::write_input(folder / "classifier.json", reinterpret_cast<const std::uint8_t*>(json.data()), json.size());
  osgan::fuzz::write_input(folder / "model.pt", reinterpret_cast<const std::uint8_t*>(weights.data()), weights.size());
  try {
    osgan::load_classifier(folder, torch::kCPU);
  } catch (const osgan::Error& e) {
    // The message names classifier.json or model.pt, whichever is at fault: both lie in `folder`.
    osgan::fuzz::expect_clean_error(e, folder);
  }
  return 0;
}
