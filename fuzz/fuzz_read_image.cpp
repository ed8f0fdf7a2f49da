// libFuzzer target for read_image_file, built once per format family (OSGAN_FUZZ_FORMATS, e.g. "png jpeg bmp")
// with that family's seed corpus. Inputs whose content is another format are skipped, so each target spends
// its time inside its own decoder. NIfTI needs its name to end in .nii or .nii.gz, so the scratch file gets
// the suffix that matches a gzip stream or not. PNG inputs get their chunk CRCs recomputed first (see below).
#include <zlib.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "fuzz_support.h"
#include "osgan/io/image.h"

namespace {

bool in_family(const std::string& format) {
  std::istringstream formats(OSGAN_FUZZ_FORMATS);
  for (std::string f; formats >> f;)
    if (f == format) return true;
  return false;
}

// Every whole chunk's CRC-32 made right: most mutations of a PNG otherwise stop at the first CRC check, and
// libpng's chunk and row code is never reached. The CRC check itself is tested by DamagedFiles.*.
void fix_png_crcs(std::vector<std::uint8_t>& b) {
  static const std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (b.size() < 8 || !std::equal(signature, signature + 8, b.begin())) return;
  for (std::size_t at = 8; b.size() - at >= 12;) {
    const std::size_t length = std::size_t{b[at]} << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3];
    if (length > b.size() - at - 12) return;
    const auto crc = static_cast<std::uint32_t>(crc32(0, b.data() + at + 4, static_cast<uInt>(4 + length)));
    for (int k = 0; k < 4; ++k) b[at + 8 + length + k] = static_cast<std::uint8_t>(crc >> (24 - 8 * k));
    at += 12 + length;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bool gzip = size >= 2 && data[0] == 0x1F && data[1] == 0x8B;
  static const auto plain_path = osgan::fuzz::scratch_path("input.nii");
  static const auto gzip_path = osgan::fuzz::scratch_path("input.nii.gz");
  const auto& path = gzip ? gzip_path : plain_path;
  if (in_family("png")) {
    std::vector<std::uint8_t> bytes(data, data + size);
    fix_png_crcs(bytes);
    osgan::fuzz::write_input(path, bytes.data(), bytes.size());
  } else {
    osgan::fuzz::write_input(path, data, size);
  }
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
