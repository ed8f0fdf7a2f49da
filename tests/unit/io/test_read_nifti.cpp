// NIfTI volumes (.nii and .nii.gz) read back through read_image_file: slicing along each axis, slice
// selection, scl_slope/scl_inter, several datatypes.
#include <gtest/gtest.h>
#include <nifti2_io.h>

#include "osgan/core/error.h"
#include "osgan/io/image.h"
#include "support/test_support.h"
#include "unit/io/io_fixtures.h"

using namespace osgan::test;
using osgan::io::read_image_file;
using osgan::io::ReadOptions;
using osgan::io::SliceAxis;
using osgan::io::SliceSelection;

namespace {

constexpr int kNx = 5, kNy = 4, kNz = 3;

// Voxel (x, y, z) holds 100 z + 10 y + x, so every slice position is checkable by eye.
double value_at(int x, int y, int z) { return 100.0 * z + 10.0 * y + x; }

std::vector<double> volume() {
  std::vector<double> v;
  for (int z = 0; z < kNz; ++z)
    for (int y = 0; y < kNy; ++y)
      for (int x = 0; x < kNx; ++x) v.push_back(value_at(x, y, z));
  return v;
}

}  // namespace

TEST(ReadNifti, AxialSlicesFromNii) {
  ScratchDir dir("io-nifti");
  write_nifti(dir / "v.nii", kNx, kNy, kNz, DT_INT16, volume());
  EXPECT_EQ(osgan::io::detect_format(dir / "v.nii"), "nifti");
  const auto file = read_image_file(dir / "v.nii");
  EXPECT_EQ(file.info.format, "nifti");
  EXPECT_EQ(file.info.bits_per_sample, 16);
  EXPECT_EQ(file.info.frames, kNz);
  ASSERT_EQ(file.slices.size(), size_t(kNz));
  for (int z = 0; z < kNz; ++z) {
    const auto& img = file.slices[z].image;
    EXPECT_EQ(file.slices[z].index, z);
    ASSERT_EQ(img.width, kNx);
    ASSERT_EQ(img.height, kNy);
    for (int y = 0; y < kNy; ++y)
      for (int x = 0; x < kNx; ++x) EXPECT_EQ(img.at(y, x), value_at(x, y, z));
  }
}

TEST(ReadNifti, CoronalAndSagittalFromNiiGz) {
  ScratchDir dir("io-nifti");
  write_nifti(dir / "v.nii.gz", kNx, kNy, kNz, DT_FLOAT32, volume());
  EXPECT_EQ(osgan::io::detect_format(dir / "v.nii.gz"), "nifti.gz");

  ReadOptions coronal;
  coronal.axis = SliceAxis::coronal;
  const auto c = read_image_file(dir / "v.nii.gz", coronal);
  EXPECT_EQ(c.info.frames, kNy);
  ASSERT_EQ(c.slices.size(), size_t(kNy));
  const auto& cimg = c.slices[2].image;  // y = 2: rows z, columns x
  ASSERT_EQ(cimg.width, kNx);
  ASSERT_EQ(cimg.height, kNz);
  for (int z = 0; z < kNz; ++z)
    for (int x = 0; x < kNx; ++x) EXPECT_EQ(cimg.at(z, x), value_at(x, 2, z));

  ReadOptions sagittal;
  sagittal.axis = SliceAxis::sagittal;
  const auto s = read_image_file(dir / "v.nii.gz", sagittal);
  ASSERT_EQ(s.slices.size(), size_t(kNx));
  const auto& simg = s.slices[4].image;  // x = 4: rows z, columns y
  ASSERT_EQ(simg.width, kNy);
  ASSERT_EQ(simg.height, kNz);
  for (int z = 0; z < kNz; ++z)
    for (int y = 0; y < kNy; ++y) EXPECT_EQ(simg.at(z, y), value_at(4, y, z));
}

TEST(ReadNifti, SliceSelectionMiddleAndRange) {
  ScratchDir dir("io-nifti");
  write_nifti(dir / "v.nii", kNx, kNy, kNz, DT_UINT8, volume());
  ReadOptions middle;
  middle.axis = SliceAxis::sagittal;  // 5 slices: the middle 3 are 1, 2, 3
  middle.slices.kind = SliceSelection::Kind::middle;
  middle.slices.middle_count = 3;
  const auto m = read_image_file(dir / "v.nii", middle);
  ASSERT_EQ(m.slices.size(), 3u);
  EXPECT_EQ(m.slices[0].index, 1);
  EXPECT_EQ(m.slices[2].index, 3);
  EXPECT_EQ(m.slices[0].image.at(0, 0), value_at(1, 0, 0));

  ReadOptions range;
  range.slices.kind = SliceSelection::Kind::range;
  range.slices.first = 1;
  range.slices.last = 1;
  const auto r = read_image_file(dir / "v.nii", range);
  ASSERT_EQ(r.slices.size(), 1u);
  EXPECT_EQ(r.slices[0].index, 1);
  EXPECT_EQ(r.slices[0].image.at(3, 4), value_at(4, 3, 1));

  range.slices.first = 5;  // axial has only 3 slices
  range.slices.last = 6;
  EXPECT_THROW(read_image_file(dir / "v.nii", range), osgan::Error);
}

TEST(ReadNifti, ScaleSlopeAndInterceptApplied) {
  ScratchDir dir("io-nifti");
  write_nifti(dir / "s.nii.gz", kNx, kNy, kNz, DT_INT16, volume(), /*slope=*/2.0, /*inter=*/-1024.0);
  const auto file = read_image_file(dir / "s.nii.gz");
  for (int z = 0; z < kNz; ++z)
    for (int y = 0; y < kNy; ++y)
      for (int x = 0; x < kNx; ++x) EXPECT_EQ(file.slices[z].image.at(y, x), 2.0 * value_at(x, y, z) - 1024.0);
}

TEST(ReadNifti, Int32AndFloat64Datatypes) {
  ScratchDir dir("io-nifti");
  std::vector<double> v = volume();
  v[0] = 100000;  // beyond int16
  write_nifti(dir / "i.nii", kNx, kNy, kNz, DT_INT32, v);
  EXPECT_EQ(read_image_file(dir / "i.nii").slices[0].image.at(0, 0), 100000.f);
  v[0] = -0.5;
  write_nifti(dir / "d.nii", kNx, kNy, kNz, DT_FLOAT64, v);
  const auto d = read_image_file(dir / "d.nii");
  EXPECT_EQ(d.info.bits_per_sample, 64);
  EXPECT_EQ(d.slices[0].image.at(0, 0), -0.5f);
  EXPECT_EQ(d.slices[2].image.at(3, 4), value_at(4, 3, 2));
}

TEST(ReadNifti, Nifti2HeaderGz) {
  ScratchDir dir("io-nifti");
  write_nifti(dir / "n2.nii.gz", kNx, kNy, kNz, DT_INT16, volume(), 0.0, 0.0, /*nifti2=*/true);
  write_nifti(dir / "n2.nii", kNx, kNy, kNz, DT_INT16, volume(), 0.0, 0.0, /*nifti2=*/true);
  const auto raw = read_bytes(dir / "n2.nii");
  ASSERT_GE(raw.size(), 8u);
  EXPECT_EQ(std::string(raw.begin() + 4, raw.begin() + 7), "n+2") << "fixture did not write NIfTI-2";
  EXPECT_EQ(osgan::io::detect_format(dir / "n2.nii"), "nifti");
  EXPECT_EQ(osgan::io::detect_format(dir / "n2.nii.gz"), "nifti.gz");
  const auto file = read_image_file(dir / "n2.nii.gz");
  ASSERT_EQ(file.slices.size(), size_t(kNz));
  EXPECT_EQ(file.slices[2].image.at(3, 4), value_at(4, 3, 2));
}

TEST(ReadNifti, NiiGzBesideANiiOfTheSameNameReadsItsOwnVoxels) {
  // nifti2 finds the voxel file by base name, ".nii" first: a.nii.gz must not be read with a.nii's voxels.
  ScratchDir dir("io-nifti");
  write_nifti(dir / "a.nii.gz", kNx, kNy, kNz, DT_FLOAT32, volume());
  write_nifti(dir / "a.nii", kNx, kNy, kNz, DT_FLOAT32, std::vector<double>(kNx * kNy * kNz, -5.0));
  const auto gz = read_image_file(dir / "a.nii.gz");
  ASSERT_EQ(gz.slices.size(), std::size_t(kNz));
  EXPECT_EQ(gz.slices[2].image.at(3, 4), value_at(4, 3, 2));
  EXPECT_EQ(read_image_file(dir / "a.nii").slices[2].image.at(3, 4), -5.f);
}
