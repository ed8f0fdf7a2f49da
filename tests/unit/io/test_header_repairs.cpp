// Header repairs of volumes and DICOM: one hostile file per field that osgan (or nifti2, or GDCM) ignores, repairs
// or guesses. Each must be refused by a strict read naming the file and the field, and read with a warning naming
// them otherwise (header_repair_checks.h); well-formed fixtures of every format must pass a strict read untouched.
// The 2D formats are in test_header_repairs_2d.cpp.
#include <gtest/gtest.h>
#include <gdcmDataSet.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmWriter.h>
#include <nifti2_io.h>

#include <cmath>
#include <functional>
#include <limits>

#include "osgan/data/dataset.h"
#include "support/test_support.h"
#include "unit/io/header_repair_checks.h"

namespace fs = std::filesystem;
using namespace osgan::test;
using osgan::io::read_image_file;

namespace {

// NIfTI-1 header offsets (nifti1.h) and NIfTI-2 (nifti2.h).
constexpr std::size_t kDim = 40, kDatatype = 70, kBitpix = 72, kVoxOffset = 108, kSlope = 112, kInter = 116;
constexpr std::size_t kSlope2 = 176;
constexpr int kNx = 5, kNy = 4, kNz = 3;

std::vector<double> ramp(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i);
  return v;
}

// A 5x4x3 int16 .nii holding 0, 1, 2, ... in voxel order.
fs::path int16_nifti(const ScratchDir& dir, const std::string& name) {
  write_nifti(dir / name, kNx, kNy, kNz, DT_INT16, ramp(kNx * kNy * kNz));
  return dir / name;
}

// Rewrites a DICOM file after `edit` has changed its data set.
void edit_dicom(const fs::path& path, const std::function<void(gdcm::DataSet&)>& edit) {
  gdcm::Reader reader;
  reader.SetFileName(path.c_str());
  ASSERT_TRUE(reader.Read()) << path;
  edit(reader.GetFile().GetDataSet());
  gdcm::Writer writer;
  writer.SetFile(reader.GetFile());
  writer.SetFileName(path.c_str());
  ASSERT_TRUE(writer.Write()) << path;
}

void set_text(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, gdcm::VR vr, std::string text) {
  if (text.size() % 2) text += ' ';
  gdcm::DataElement de(gdcm::Tag(group, element));
  de.SetVR(vr);
  de.SetByteValue(text.data(), static_cast<std::uint32_t>(text.size()));
  ds.Replace(de);
}

void set_us(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, std::uint16_t value) {
  gdcm::DataElement de(gdcm::Tag(group, element));
  de.SetVR(gdcm::VR::US);
  de.SetByteValue(reinterpret_cast<const char*>(&value), 2);
  ds.Replace(de);
}

// A 4x3 MONOCHROME2 16-bit DICOM holding 10, 11, 12, ...
fs::path mono_dicom(const ScratchDir& dir, const std::string& name) {
  DicomSpec s;
  for (int i = 0; i < 12; ++i) s.stored.push_back(10 + i);
  write_dicom(dir / name, s);
  return dir / name;
}

}  // namespace

// --- NIfTI ---

TEST(HeaderRepairs, NiftiSlopeNotFiniteIsIgnored) {
  ScratchDir dir("io-repairs");
  const auto path = int16_nifti(dir, "nan_slope.nii");
  patch_file(path, kSlope, std::numeric_limits<float>::quiet_NaN());
  patch_file(path, kInter, 100.f);
  const auto file = expect_repair(path, "scl_slope");
  ASSERT_EQ(file.slices.size(), std::size_t(kNz));
  EXPECT_EQ(file.slices[1].image.pixels[3], float(kNx * kNy + 3));  // no scaling, not even the intercept
}

TEST(HeaderRepairs, NiftiInterceptNotFiniteIsReadAsZero) {
  ScratchDir dir("io-repairs");
  const auto path = int16_nifti(dir, "inf_inter.nii");
  patch_file(path, kSlope, 2.f);
  patch_file(path, kInter, std::numeric_limits<float>::infinity());
  const auto file = expect_repair(path, "scl_inter");
  EXPECT_EQ(file.slices[0].image.pixels[7], 14.f);  // 2 * 7 + 0
}

TEST(HeaderRepairs, Nifti2SlopeNotFiniteIsIgnored) {
  ScratchDir dir("io-repairs");
  write_nifti(dir / "v2.nii", kNx, kNy, kNz, DT_FLOAT32, ramp(kNx * kNy * kNz), /*slope=*/3.0, /*inter=*/1.0, /*nifti2=*/true);
  expect_clean(dir / "v2.nii");
  patch_file(dir / "v2.nii", kSlope2, -std::numeric_limits<double>::infinity());
  const auto file = expect_repair(dir / "v2.nii", "scl_slope");
  EXPECT_EQ(file.slices[0].image.pixels[5], 5.f);
}

TEST(HeaderRepairs, NiftiScalingOfRgbVoxelsIsIgnored) {
  ScratchDir dir("io-repairs");
  // 6x4x3 bytes relabelled as 2x4x3 RGB24 voxels, with a scaling that NIfTI does not apply to RGB.
  write_nifti(dir / "rgb.nii", 3 * 2, kNy, kNz, DT_UINT8, ramp(6 * kNy * kNz));
  patch_file(dir / "rgb.nii", kDim + 2, std::int16_t{2});
  patch_file(dir / "rgb.nii", kDatatype, std::int16_t{DT_RGB24});
  patch_file(dir / "rgb.nii", kBitpix, std::int16_t{24});
  expect_clean(dir / "rgb.nii");
  patch_file(dir / "rgb.nii", kSlope, 2.f);
  const auto file = expect_repair(dir / "rgb.nii", "scl_slope");
  EXPECT_FALSE(has_repair(file, "bitpix")) << repair_fields(file);
  EXPECT_NEAR(file.slices[0].image.pixels[1], 0.299f * 3 + 0.587f * 4 + 0.114f * 5, 1e-4);  // luma, unscaled
}

TEST(HeaderRepairs, NiftiBitpixDisagreeingWithTheDatatypeIsIgnored) {
  ScratchDir dir("io-repairs");
  const auto path = int16_nifti(dir, "bitpix.nii");
  patch_file(path, kBitpix, std::int16_t{8});
  const auto file = expect_repair(path, "bitpix");
  EXPECT_EQ(file.info.bits_per_sample, 16);
  EXPECT_EQ(file.slices[2].image.pixels[0], float(2 * kNx * kNy));
}

TEST(HeaderRepairs, NiftiVoxOffsetInsideTheHeaderOrFractionalIsRepaired) {
  ScratchDir dir("io-repairs");
  const auto inside = int16_nifti(dir, "inside.nii");
  patch_file(inside, kVoxOffset, 0.f);
  expect_repair(inside, "vox_offset");
  const auto fraction = int16_nifti(dir, "fraction.nii");
  patch_file(fraction, kVoxOffset, 352.5f);
  const auto file = expect_repair(fraction, "vox_offset");
  EXPECT_EQ(file.slices[0].image.pixels[9], 9.f);  // read from byte 352, where the voxels are
}

TEST(HeaderRepairs, NiftiVolumesAfterTheFirstAreIgnored) {
  ScratchDir dir("io-repairs");
  const auto path = int16_nifti(dir, "4d.nii");
  patch_file(path, kDim, std::int16_t{4});
  patch_file(path, kDim + 8, std::int16_t{2});  // dim[4]: two volumes; the second one appended below
  auto bytes = read_bytes(path);
  bytes.insert(bytes.end(), std::size_t(kNx * kNy * kNz * 2), std::uint8_t{0x7F});
  write_bytes(path, bytes);
  const auto file = expect_repair(path, "dim[4]");
  ASSERT_EQ(file.slices.size(), std::size_t(kNz));
  EXPECT_EQ(file.slices[2].image.pixels[19], float(kNx * kNy * kNz - 1));
}

TEST(HeaderRepairs, NiftiFloatVoxelsThatAreNotFiniteBecomeZero) {
  ScratchDir dir("io-repairs");
  auto values = ramp(kNx * kNy * kNz);
  values[6] = std::numeric_limits<double>::quiet_NaN();
  values[7] = std::numeric_limits<double>::infinity();
  write_nifti(dir / "nan_voxels.nii.gz", kNx, kNy, kNz, DT_FLOAT32, values);
  const auto file = expect_repair(dir / "nan_voxels.nii.gz", "voxel data");
  EXPECT_EQ(file.info.repairs.back().value, "2 NaN or infinite value(s)");
  EXPECT_EQ(file.slices[0].image.pixels[6], 0.f);
  EXPECT_EQ(file.slices[0].image.pixels[7], 0.f);
  EXPECT_EQ(file.slices[0].image.pixels[8], 8.f);
}

// --- DICOM ---

TEST(HeaderRepairs, DicomRescaleSlopeThatIsNotANumberOrZeroIsIgnored) {
  ScratchDir dir("io-repairs");
  for (const char* slope : {"abc", "0"}) {
    const auto path = mono_dicom(dir, std::string("slope_") + slope + ".dcm");
    edit_dicom(path, [&](gdcm::DataSet& ds) {
      set_text(ds, 0x0028, 0x1053, gdcm::VR::DS, slope);
      set_text(ds, 0x0028, 0x1052, gdcm::VR::DS, "-1000");
    });
    const auto file = expect_repair(path, "(0028,1053) Rescale Slope");
    EXPECT_EQ(file.slices[0].image.pixels[2], 12.f) << slope;  // stored values, no rescale
  }
}

TEST(HeaderRepairs, DicomRescaleInterceptThatIsNotANumberIsReadAsZero) {
  ScratchDir dir("io-repairs");
  const auto path = mono_dicom(dir, "intercept.dcm");
  edit_dicom(path, [](gdcm::DataSet& ds) {
    set_text(ds, 0x0028, 0x1053, gdcm::VR::DS, "2");
    set_text(ds, 0x0028, 0x1052, gdcm::VR::DS, "x");
  });
  const auto file = expect_repair(path, "(0028,1052) Rescale Intercept");
  EXPECT_EQ(file.slices[0].image.pixels[1], 22.f);  // 2 * 11
}

TEST(HeaderRepairs, DicomRescaleInterceptWithoutASlopeIsIgnored) {
  ScratchDir dir("io-repairs");
  const auto path = mono_dicom(dir, "lone_intercept.dcm");
  edit_dicom(path, [](gdcm::DataSet& ds) {
    ds.Remove(gdcm::Tag(0x0028, 0x1053));  // GDCM's writer may have put in the identity rescale
    set_text(ds, 0x0028, 0x1052, gdcm::VR::DS, "-1024");
  });
  const auto file = expect_repair(path, "(0028,1052) Rescale Intercept");
  EXPECT_EQ(file.slices[0].image.pixels[0], 10.f);
}

TEST(HeaderRepairs, DicomMissingPhotometricInterpretationIsGuessed) {
  ScratchDir dir("io-repairs");
  const auto path = mono_dicom(dir, "no_photometric.dcm");
  edit_dicom(path, [](gdcm::DataSet& ds) { ds.Remove(gdcm::Tag(0x0028, 0x0004)); });
  const auto file = expect_repair(path, "(0028,0004) Photometric Interpretation");
  EXPECT_EQ(file.slices[0].image.pixels[3], 13.f);
}

TEST(HeaderRepairs, DicomMissingPlanarConfigurationIsGuessed) {
  ScratchDir dir("io-repairs");
  DicomSpec s;
  s.width = 2, s.height = 1, s.rgb = true, s.bits_allocated = s.bits_stored = 8;
  s.stored = {10, 20, 30, 40, 50, 60};
  write_dicom(dir / "rgb.dcm", s);
  expect_clean(dir / "rgb.dcm");
  edit_dicom(dir / "rgb.dcm", [](gdcm::DataSet& ds) { ds.Remove(gdcm::Tag(0x0028, 0x0006)); });
  const auto file = expect_repair(dir / "rgb.dcm", "(0028,0006) Planar Configuration");
  EXPECT_NEAR(file.slices[0].image.pixels[0], 0.299f * 10 + 0.587f * 20 + 0.114f * 30, 1e-3);
}

TEST(HeaderRepairs, DicomBitsStoredPastBitsAllocatedIsRepaired) {
  ScratchDir dir("io-repairs");
  const auto path = mono_dicom(dir, "bits_stored.dcm");
  edit_dicom(path, [](gdcm::DataSet& ds) { set_us(ds, 0x0028, 0x0101, 20); });
  const auto file = expect_repair(path, "(0028,0101) Bits Stored");
  EXPECT_EQ(file.info.bits_per_sample, 16);
  EXPECT_EQ(file.slices[0].image.pixels[4], 14.f);
}

TEST(HeaderRepairs, DicomHighBitOtherThanBitsStoredMinusOneIsIgnored) {
  ScratchDir dir("io-repairs");
  const auto path = mono_dicom(dir, "high_bit.dcm");
  edit_dicom(path, [](gdcm::DataSet& ds) { set_us(ds, 0x0028, 0x0102, 7); });
  const auto file = expect_repair(path, "(0028,0102) High Bit");
  EXPECT_EQ(file.slices[0].image.pixels[5], 15.f);
}

TEST(HeaderRepairs, DicomModalityLutSequenceIsIgnored) {
  ScratchDir dir("io-repairs");
  const auto path = mono_dicom(dir, "modality_lut.dcm");
  edit_dicom(path, [](gdcm::DataSet& ds) {
    gdcm::Item item;
    item.SetVLToUndefined();
    gdcm::DataElement type(gdcm::Tag(0x0028, 0x3004));  // Modality LUT Type
    type.SetVR(gdcm::VR::LO);
    type.SetByteValue("HU", 2);
    item.GetNestedDataSet().Insert(type);
    gdcm::SmartPointer<gdcm::SequenceOfItems> items = new gdcm::SequenceOfItems;
    items->SetLengthToUndefined();
    items->AddItem(item);
    gdcm::DataElement sequence(gdcm::Tag(0x0028, 0x3000));
    sequence.SetVR(gdcm::VR::SQ);
    sequence.SetValue(*items);
    sequence.SetVLToUndefined();
    ds.Replace(sequence);
  });
  expect_repair(path, "(0028,3000) Modality LUT Sequence");
}

// --- every format, well formed: no repair ---

TEST(HeaderRepairs, WellFormedFilesOfEveryFormatPassAStrictRead) {
  ScratchDir dir("io-repairs");
  for (int channels = 1; channels <= 4; ++channels)
    for (int bits : {8, 16}) {
      const auto name = "p" + std::to_string(channels) + "_" + std::to_string(bits) + ".png";
      write_png(dir / name, 5, 3, channels, bits, std::vector<std::uint16_t>(std::size_t(15) * channels, 200));
      expect_clean(dir / name);
    }
  for (int channels : {1, 3}) {
    const auto jpg = "j" + std::to_string(channels) + ".jpg", bmp = "b" + std::to_string(channels) + ".bmp";
    write_jpeg(dir / jpg, 8, 8, channels, std::vector<std::uint8_t>(std::size_t(64) * channels, 90), 90);
    write_bmp(dir / bmp, 5, 3, channels, std::vector<std::uint8_t>(std::size_t(15) * channels, 90));
    expect_clean(dir / jpg);
    expect_clean(dir / bmp);
  }
  write_tiff(dir / "g8.tif", 5, 3, 1, 8, false, std::vector<double>(15, 7.0));
  write_tiff(dir / "rgb16.tif", 5, 3, 3, 16, false, std::vector<double>(45, 700.0), /*tiled=*/true);
  write_tiff(dir / "f32.tif", 5, 3, 1, 32, true, std::vector<double>(15, 0.5));
  write_tiff(dir / "ga.tif", 5, 3, 2, 8, false, std::vector<double>(30, 9.0));
  write_tiff_min_is_white(dir / "miw.tif", 5, 3, std::vector<std::uint8_t>(15, 3));
  write_tiff_palette(dir / "pal.tif", 5, 3, std::vector<std::uint8_t>(15, 1), std::vector<std::uint16_t>(256, 100),
                     std::vector<std::uint16_t>(256, 200), std::vector<std::uint16_t>(256, 300));
  for (const char* name : {"g8.tif", "rgb16.tif", "f32.tif", "ga.tif", "miw.tif", "pal.tif"}) expect_clean(dir / name);

  DicomSpec mono;
  mono.stored.assign(12, 100);
  mono.slope = 2.0, mono.intercept = -1024.0;
  write_dicom(dir / "mono.dcm", mono);
  DicomSpec mono1 = mono;
  mono1.monochrome1 = true, mono1.is_signed = true, mono1.bits_stored = 12;
  write_dicom(dir / "mono1.dcm", mono1);
  DicomSpec multi = mono;
  multi.frames = 3;
  multi.stored.assign(36, 5);
  write_dicom(dir / "multi.dcm", multi);
  DicomSpec rle = mono;
  rle.compression = "rle";
  write_dicom(dir / "rle.dcm", rle);
  for (const char* name : {"mono.dcm", "mono1.dcm", "multi.dcm", "rle.dcm"}) expect_clean(dir / name);

  write_nifti(dir / "v.nii", kNx, kNy, kNz, DT_INT16, ramp(kNx * kNy * kNz), /*slope=*/2.0, /*inter=*/1.0);
  write_nifti(dir / "v.nii.gz", kNx, kNy, kNz, DT_FLOAT64, ramp(kNx * kNy * kNz));
  for (const char* name : {"v.nii", "v.nii.gz"}) expect_clean(dir / name);
}

// --- the dataset load behind `osgan audit --strict` ---

TEST(HeaderRepairs, DatasetLoadWarnsOrUnderStrictReadingRefusesNamingFileAndField) {
  ScratchDir dir("io-repairs");
  for (const char* label : {"normal", "tumor"}) {
    fs::create_directories(dir / label);
    write_png(dir / label / "ok.png", 16, 16, 1, 8, std::vector<std::uint16_t>(256, 40));
  }
  write_nifti(dir / "tumor" / "nan_slope.nii", kNx, kNy, kNz, DT_INT16, ramp(kNx * kNy * kNz));
  patch_file(dir / "tumor" / "nan_slope.nii", kSlope, std::numeric_limits<float>::quiet_NaN());

  osgan::data::DatasetOptions options;
  options.preprocess.size = 16;
  testing::internal::CaptureStderr();
  const auto ds = osgan::data::load_dataset(dir.path(), options);
  const std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(ds.skipped.empty());
  EXPECT_EQ(ds.samples.size(), std::size_t(2 + kNz));  // the volume is read, with its repair recorded
  EXPECT_NE(printed.find("nan_slope.nii"), std::string::npos) << printed;
  EXPECT_NE(printed.find("scl_slope"), std::string::npos) << printed;
  const auto repaired = std::find_if(ds.samples.begin(), ds.samples.end(),
                                     [](const osgan::data::Sample& s) { return !s.info.repairs.empty(); });
  ASSERT_NE(repaired, ds.samples.end());
  EXPECT_EQ(repaired->path, "tumor/nan_slope.nii");

  options.strict = true;
  options.read.strict = true;  // as `osgan audit --strict` sets them
  try {
    osgan::data::load_dataset(dir.path(), options);
    FAIL() << "a strict load accepted a header osgan repairs";
  } catch (const osgan::Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("nan_slope.nii"), std::string::npos) << message;
    EXPECT_NE(message.find("scl_slope = nan"), std::string::npos) << message;
    EXPECT_NE(message.find("(--strict)"), std::string::npos) << message;
  }
}
