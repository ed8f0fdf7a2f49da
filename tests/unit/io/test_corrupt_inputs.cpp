// Robustness: valid files of every format, corrupted by seeded random byte changes and truncations, must
// either read or fail with osgan::Error naming the file; any crash, hang or other exception fails the test.
// For manual fuzzing: OSGAN_IO_FUZZ_SEED=<n> picks another seed, OSGAN_IO_KEEP=<file> keeps the last input
// (the one that crashed, if any).
#include <gtest/gtest.h>
#include <nifti2_io.h>

#include <cstdlib>
#include <random>

#include "osgan/core/error.h"
#include "osgan/io/image.h"
#include "support/test_support.h"
#include "unit/io/io_fixtures.h"

namespace fs = std::filesystem;
using namespace osgan::test;

namespace {

std::vector<std::uint16_t> noise16(std::size_t n, int range) {
  std::vector<std::uint16_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint16_t>((i * 2654435761u >> 7) % range);
  return v;
}

// Writes one valid file of each kind into `dir`; returns their names.
std::vector<std::string> write_originals(const ScratchDir& dir) {
  write_png(dir / "a.png", 24, 16, 1, 16, noise16(24 * 16, 65536));
  std::vector<std::uint8_t> rgb(24 * 16 * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>(i * 31);
  write_jpeg(dir / "a.jpg", 24, 16, 3, rgb, 90);
  write_bmp(dir / "a.bmp", 24, 16, 3, rgb);
  std::vector<double> grey(24 * 16);
  for (std::size_t i = 0; i < grey.size(); ++i) grey[i] = double(i * 97 % 65536);
  write_tiff(dir / "a.tif", 24, 16, 1, 16, false, grey);
  DicomSpec s;
  s.width = 8, s.height = 6, s.frames = 2;
  for (int i = 0; i < 96; ++i) s.stored.push_back(i * 11);
  write_dicom(dir / "a.dcm", s);
  s.compression = "jpeg-ls";
  write_dicom(dir / "ls.dcm", s);
  write_nifti(dir / "a.nii", 6, 5, 4, DT_INT16, std::vector<double>(120, 7.0));
  write_nifti(dir / "b.nii.gz", 6, 5, 4, DT_FLOAT32, std::vector<double>(120, 7.0));
  return {"a.png", "a.jpg", "a.bmp", "a.tif", "a.dcm", "ls.dcm", "a.nii", "b.nii.gz"};
}

}  // namespace

TEST(CorruptInputs, MutatedFilesReadOrFailCleanly) {
  ScratchDir dir("io-corrupt");
  const char* seed = std::getenv("OSGAN_IO_FUZZ_SEED");
  std::mt19937 rng(seed ? static_cast<unsigned>(std::strtoul(seed, nullptr, 10)) : 12345u);
  int failures = 0, reads = 0;
  for (const std::string& name : write_originals(dir)) {
    const auto original = read_bytes(dir / name);
    ASSERT_NO_THROW(osgan::io::read_image_file(dir / name)) << name;  // the unmutated file is fine
    for (int trial = 0; trial < 40; ++trial) {
      auto bytes = original;
      if (trial % 4 == 3) {
        bytes.resize(std::uniform_int_distribution<std::size_t>(1, bytes.size() - 1)(rng));
      } else {
        const int flips = 1 + trial % 8;
        for (int k = 0; k < flips; ++k)
          bytes[std::uniform_int_distribution<std::size_t>(0, bytes.size() - 1)(rng)] =
              static_cast<std::uint8_t>(rng());
      }
      // Keep the original extension: NIfTI needs it, and the others must not care.
      const fs::path path = dir / ("m" + std::to_string(trial) + "_" + name);
      write_bytes(path, bytes);
      if (std::getenv("OSGAN_IO_KEEP")) write_bytes(fs::path(std::getenv("OSGAN_IO_KEEP")), bytes);
      try {
        const auto file = osgan::io::read_image_file(path);
        for (const auto& slice : file.slices)
          ASSERT_EQ(slice.image.pixels.size(), size_t(slice.image.width) * slice.image.height) << path;
        ++reads;
      } catch (const osgan::Error& e) {
        EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
        ++failures;
      } catch (const std::exception& e) {
        ADD_FAILURE() << path << ": not an osgan::Error: " << e.what();
      }
      fs::remove(path);
    }
  }
  // Both outcomes occur, so the test exercises the error paths rather than only benign flips.
  EXPECT_GT(failures, 0);
  EXPECT_GT(reads, 0);
}
