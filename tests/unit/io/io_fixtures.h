// Test fixtures for the image readers, written during the test by each format's own library (libpng,
// stb_image_write, libtiff, GDCM, nifti2), so that no binary image lives in the repository.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace osgan::test {

// PNG through libpng: `channels` 1..4, `bits` 8 or 16; samples interleaved, row-major, (H, W, C).
void write_png(const std::filesystem::path& path, int width, int height, int channels, int bits,
               const std::vector<std::uint16_t>& samples);

// JPEG (quality 1..100) and BMP through stb_image_write; samples (H, W, C) 8-bit.
void write_jpeg(const std::filesystem::path& path, int width, int height, int channels,
                const std::vector<std::uint8_t>& samples, int quality);
void write_bmp(const std::filesystem::path& path, int width, int height, int channels,
               const std::vector<std::uint8_t>& samples);

// TIFF through libtiff: unsigned 8/16-bit or float 32-bit samples (H, W, C), one strip per `rows_per_strip`,
// or tiles of 16x16 when `tiled`.
void write_tiff(const std::filesystem::path& path, int width, int height, int channels, int bits, bool is_float,
                const std::vector<double>& samples, bool tiled = false);

// 8-bit palette TIFF: indices (H, W) into a colormap of 16-bit R, G, B entries (256 each).
void write_tiff_palette(const std::filesystem::path& path, int width, int height, const std::vector<std::uint8_t>& indices,
                        const std::vector<std::uint16_t>& red, const std::vector<std::uint16_t>& green,
                        const std::vector<std::uint16_t>& blue);

// 8-bit grey TIFF with photometric MinIsWhite (0 = white).
void write_tiff_min_is_white(const std::filesystem::path& path, int width, int height, const std::vector<std::uint8_t>& samples);

struct DicomSpec {
  int width = 4, height = 3, frames = 1;
  bool monochrome1 = false;
  bool is_signed = false;
  int bits_allocated = 16;
  int bits_stored = 16;
  double slope = 1.0, intercept = 0.0;  // written only when not (1, 0)
  bool rgb = false;                     // 3 samples per pixel, photometric RGB, interleaved
  // Compress after building: "" (native), lossless "rle", "jpeg-lossless", "jpeg-ls", "jpeg2000", or lossy
  // "jpeg-baseline" (8-bit only).
  std::string compression;
  std::vector<std::int32_t> stored;     // (frames, H, W) or (frames, H, W, 3) stored values
  // Adds a private sequence (0021,1010) with VR UN and undefined length, its items in implicit VR as CP-246
  // prescribes (what a toolkit writes for a sequence it has no dictionary entry for).
  bool un_sequence = false;
};

// DICOM through gdcm::ImageWriter.
void write_dicom(const std::filesystem::path& path, const DicomSpec& spec);

// Copies a DICOM file, relabelling its transfer syntax as MPEG2 Main Profile (which GDCM cannot decode)
// while the pixel data stays as it was: a stand-in for any compressed syntax without a decoder.
void relabel_dicom_as_mpeg2(const std::filesystem::path& in, const std::filesystem::path& out);

// NIfTI volume through nifti2 (.nii or .nii.gz by the name): dims (nx, ny, nz), nifti datatype code, voxels
// in x-fastest order as double, and scl_slope/scl_inter.
void write_nifti(const std::filesystem::path& path, int nx, int ny, int nz, int datatype,
                 const std::vector<double>& voxels, double slope = 0.0, double inter = 0.0, bool nifti2 = false);

// Writes raw bytes (for corrupt and hand-made files).
void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);
std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path);

}  // namespace osgan::test
