// libFuzzer target for read_image_file, built once per format family (OSGAN_FUZZ_FORMATS, e.g. "png jpeg bmp")
// with that family's seed corpus. Inputs whose content is another format are skipped, so each target spends
// its time inside its own decoder. NIfTI needs its name to end in .nii or .nii.gz, so the scratch file gets
// the suffix that matches a gzip stream or not.
#include <sstream>

#include "fuzz_support.h"
#include "osgan/io/image.h"

namespace {

bool in_family(const std::string& format) {
  std::istringstream formats(OSGAN_FUZZ_FORMATS);
  for (std::string f; formats >> f;)
    if (f == format) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bool gzip = size >= 2 && data[0] == 0x1F && data[1] == 0x8B;
  static const auto plain_path = osgan::fuzz::scratch_path("input.nii");
  static const auto gzip_path = osgan::fuzz::scratch_path("input.nii.gz");
  const auto& path = gzip ? gzip_path : plain_path;
  osgan::fuzz::write_input(path, data, size);
  if (!in_family(osgan::io::detect_format(path))) return 0;

  osgan::io::ReadOptions options;
  // Small limits keep each execution fast and within libFuzzer's memory limit; the checks are the same.
  options.limits.max_pixels = 1u << 22;
  options.limits.max_file_bytes = 1u << 24;
  try {
    osgan::io::read_image_file(path, options);
  } catch (const osgan::Error& e) {
    osgan::fuzz::expect_clean_error(e, path);
  }
  return 0;
}
