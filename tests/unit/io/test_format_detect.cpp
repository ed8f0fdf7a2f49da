// detect_format and is_supported_image judge by content: each format under a misleading name, and files
// that only look like one (gzip that is not NIfTI, a 348-byte header without the NIfTI magic).
#include <gtest/gtest.h>
#include <nifti2_io.h>
#include <zlib.h>

#include "osgan/io/image.h"
#include "support/test_support.h"
#include "unit/io/io_fixtures.h"

namespace fs = std::filesystem;
using namespace osgan::test;
using osgan::io::detect_format;

TEST(FormatDetect, EachFormatByContentUnderAMisleadingName) {
  ScratchDir dir("io-detect");
  write_png(dir / "png.bmp", 2, 2, 1, 8, {1, 2, 3, 4});
  write_jpeg(dir / "jpeg.png", 8, 8, 3, std::vector<std::uint8_t>(8 * 8 * 3, 9), 90);
  write_bmp(dir / "bmp.tif", 2, 2, 3, std::vector<std::uint8_t>(12, 5));
  write_tiff(dir / "tiff.jpg", 2, 2, 1, 8, false, {1, 2, 3, 4});
  DicomSpec s;
  s.width = 2, s.height = 2, s.stored = {1, 2, 3, 4};
  write_dicom(dir / "dicom.png", s);
  write_nifti(dir / "v.nii", 2, 2, 2, DT_UINT8, std::vector<double>(8, 1.0));
  write_nifti(dir / "v.nii.gz", 2, 2, 2, DT_UINT8, std::vector<double>(8, 1.0));
  fs::copy_file(dir / "v.nii", dir / "nifti.jpg");
  fs::copy_file(dir / "v.nii.gz", dir / "niftigz.png");
  EXPECT_EQ(detect_format(dir / "png.bmp"), "png");
  EXPECT_EQ(detect_format(dir / "jpeg.png"), "jpeg");
  EXPECT_EQ(detect_format(dir / "bmp.tif"), "bmp");
  EXPECT_EQ(detect_format(dir / "tiff.jpg"), "tiff");
  EXPECT_EQ(detect_format(dir / "dicom.png"), "dicom");
  EXPECT_EQ(detect_format(dir / "nifti.jpg"), "nifti");
  EXPECT_EQ(detect_format(dir / "niftigz.png"), "nifti.gz");
  for (const char* name : {"png.bmp", "jpeg.png", "bmp.tif", "tiff.jpg", "dicom.png"}) {
    EXPECT_TRUE(osgan::io::is_supported_image(dir / name)) << name;
    EXPECT_EQ(osgan::io::read_image_file(dir / name).info.format, detect_format(dir / name)) << name;
  }
}

TEST(FormatDetect, LookalikesAreNotImages) {
  ScratchDir dir("io-detect");
  // A gzip file whose content is text, named like a NIfTI volume.
  const std::string text(400, 'x');
  gzFile gz = gzopen((dir / "text.nii.gz").c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  EXPECT_EQ(detect_format(dir / "text.nii.gz"), "");
  // A 348-byte header size without the "n+1" magic (e.g. ANALYZE 7.5), and a lone "BM".
  std::vector<std::uint8_t> analyze(400, 0);
  analyze[0] = 0x5C, analyze[1] = 0x01;  // 348 little-endian
  write_bytes(dir / "a.nii", analyze);
  EXPECT_EQ(detect_format(dir / "a.nii"), "");
  write_bytes(dir / "bm.bmp", {'B', 'M'});
  EXPECT_EQ(detect_format(dir / "bm.bmp"), "");
  EXPECT_EQ(detect_format(dir / "does-not-exist.png"), "");
  EXPECT_FALSE(osgan::io::is_supported_image(dir / "a.nii"));
}
