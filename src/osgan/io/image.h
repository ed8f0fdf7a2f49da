// Reading medical images into one grey channel: PNG (8/16 bit), JPEG, BMP, TIFF, DICOM (single- and
// multi-frame) and NIfTI volumes cut into 2D slices. The format is decided by the file's content, never by
// its name. This code must not include torch: it is shared by the fast torch-free tools (audit, split).
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace osgan::io {

// One grey image, row-major: pixels[y * width + x]. Values are in the file's own units (0..255 for 8-bit,
// 0..65535 for 16-bit, rescaled units such as Hounsfield for DICOM), before any normalisation.
struct Image {
  int height = 0;
  int width = 0;
  std::vector<float> pixels;  // (H, W)

  Image() = default;
  Image(int h, int w, float fill = 0.f) : height(h), width(w), pixels(static_cast<size_t>(h) * w, fill) {}
  float& at(int y, int x) { return pixels[static_cast<size_t>(y) * width + x]; }
  float at(int y, int x) const { return pixels[static_cast<size_t>(y) * width + x]; }
  bool empty() const { return pixels.empty(); }
};

// What the file was, before conversion to grey.
struct ImageInfo {
  std::string format;        // "png", "jpeg", "bmp", "tiff", "dicom", "nifti"
  int bits_per_sample = 8;   // as stored
  int channels = 1;          // as stored
  std::string channel_mode;  // "grey", "grey+alpha", "rgb", "rgba"
  int width = 0;
  int height = 0;
  int frames = 1;            // frames (DICOM) or slices along the chosen axis (NIfTI) in the file
};

enum class SliceAxis { axial, coronal, sagittal };

// Which slices of a volume (NIfTI) or frames of a multi-frame DICOM become samples.
struct SliceSelection {
  enum class Kind { all, middle, range };
  Kind kind = Kind::all;
  int middle_count = 1;  // Kind::middle: the N slices around the centre
  int first = 0;         // Kind::range: inclusive index range
  int last = -1;         //   (-1 = up to the end)
};

// Guards against decompression bombs and absurd headers.
struct ReadLimits {
  std::uint64_t max_file_bytes = 2ull << 30;  // 2 GiB
  std::uint64_t max_pixels = 1ull << 28;      // per file (all slices together): 268M pixels
};

struct ReadOptions {
  ReadLimits limits;
  SliceAxis axis = SliceAxis::axial;
  SliceSelection slices;
};

struct Slice {
  Image image;
  int index = -1;  // slice or frame number inside the file; -1 for a plain 2D image
};

struct ImageFile {
  ImageInfo info;
  std::vector<Slice> slices;  // one for a 2D image
};

// Reads any supported file. Throws osgan::Error (io, bad_format or unsupported) with a one-line message that
// names the file and the reason; never crashes on truncated, corrupt or hostile input.
ImageFile read_image_file(const std::filesystem::path& path, const ReadOptions& options = {});

// The format by content (magic bytes): "png", "jpeg", "bmp", "tiff", "dicom", "nifti", "nifti.gz", or ""
// when the file is none of them (or cannot be read).
std::string detect_format(const std::filesystem::path& path);

// True when the path looks like something osgan should try to read in a dataset folder (by content).
bool is_supported_image(const std::filesystem::path& path);

}  // namespace osgan::io
