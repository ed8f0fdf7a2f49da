// Reading medical images into one grey channel: PNG (8/16 bit), JPEG, BMP, TIFF, DICOM (single- and
// multi-frame) and NIfTI volumes cut into 2D slices. The format is decided by the file's content, never by
// its name. This code must not include torch: it is shared by the fast torch-free tools (audit, split).
//
// Conversion to grey, the same for every format:
//   grey, as stored;  RGB -> ITU-R BT.601 luma 0.299 R + 0.587 G + 0.114 B;
//   with alpha -> composited over black: value * alpha / alpha_max (transparent pixels become 0).
// Per format:
//   PNG (libpng), JPEG (libjpeg-turbo), BMP (stb_image): 8-bit 0..255, 16-bit PNG 0..65535. Palette PNGs count as
//     rgb(a), CMYK JPEGs as rgb. Damage is refused, not decoded: a PNG chunk CRC or zlib checksum that does not
//     match, or a JPEG on which libjpeg warns (corrupt entropy-coded data, a premature end).
//   TIFF (libtiff): first page only; 8/16/32-bit integer and 32/64-bit float samples as stored, MinIsWhite
//     inverted (max - v); palette, YCbCr, CMYK and 1-4 bit files through libtiff's 8-bit RGBA conversion.
//   DICOM (GDCM): stored values -> MONOCHROME1 inverted within the stored range (smin + smax - v, range
//     from BitsStored and signedness) -> Rescale Slope/Intercept (top level, else the frame's functional
//     group). RGB by luma; YBR_FULL by its Y. Each frame is a Slice. GDCM's decoders (JPEG, JPEG-LS,
//     JPEG 2000, RLE) are used; other transfer syntaxes fail naming the syntax. DICOM reads are serialised.
//   NIfTI (nifti2, .nii/.nii.gz; the name must end so): first volume of 4D+ files; scl_slope/scl_inter
//     applied when slope != 0. Slices in voxel-index order, no reorientation by qform/sform:
//     axial = (x, y) plane at each z, coronal = (x, z) at each y, sagittal = (y, z) at each x; image rows
//     follow the second axis of the plane, columns the first.
// Header repairs: where a header field cannot be taken as written (a scaling that is not finite, a photometric
// tag that is missing, an orientation osgan does not apply) the reader records what it did instead in
// ImageInfo::repairs. read_image_file logs them as one warning per file or, with ReadOptions::strict, refuses the
// file naming each field (docs/robustness.md lists them). Display and geometry metadata (gamma, colour profiles,
// windows, spacing, qform/sform) is never applied to any file and is not reported.
// Example:
//   osgan::io::ReadOptions options;
//   options.slices.kind = osgan::io::SliceSelection::Kind::middle;  // 5 middle axial slices of a volume
//   options.slices.middle_count = 5;
//   osgan::io::ImageFile file = osgan::io::read_image_file("brain.nii.gz", options);
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

// A header field osgan could not take as written, and what it did instead. Example:
//   {"scl_slope", "nan", "ignored with scl_inter: no intensity scaling applied"}
struct HeaderRepair {
  std::string field;   // as the format names it: "scl_slope", "(0028,1053) Rescale Slope", "Exif Orientation"
  std::string value;   // as found in the file: "(missing)" for an absent field, empty where the action quotes it
  std::string action;  // what osgan did: ignored it, repaired it, or guessed what the file meant
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
  // (bits_per_sample is the stored precision, e.g. BitsStored for DICOM, 1 for a bilevel TIFF.)
  std::vector<HeaderRepair> repairs;  // header fields osgan ignored, repaired or guessed (empty for most files)
};

enum class SliceAxis { axial, coronal, sagittal };

// Which slices of a volume (NIfTI) or frames of a multi-frame DICOM become samples; ignored for 2D files.
// middle: the N slices around the centre (all of them if the file has fewer). range: first..last with last
// clamped to the final slice; a range that selects nothing, or N < 1, throws invalid_argument.
struct SliceSelection {
  enum class Kind { all, middle, range };
  Kind kind = Kind::all;
  int middle_count = 1;  // Kind::middle: the N slices around the centre
  int first = 0;         // Kind::range: inclusive index range
  int last = -1;         //   (-1 = up to the end)
};

// Guards against decompression bombs and absurd headers. The file size is checked with stat before
// reading; the pixel count from the header (all slices or voxels together) before anything is decoded.
struct ReadLimits {
  std::uint64_t max_file_bytes = 2ull << 30;  // 2 GiB
  std::uint64_t max_pixels = 1ull << 28;      // per file (all slices together): 268M pixels
};

struct ReadOptions {
  ReadLimits limits;
  SliceAxis axis = SliceAxis::axial;
  SliceSelection slices;
  bool strict = false;  // a header repair (ImageInfo::repairs) refuses the file instead of a warning
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
// names the file and the reason; never crashes on truncated, corrupt or hostile input. Header repairs are logged
// as one warning naming the file and each field, or with options.strict thrown as bad_format naming them.
ImageFile read_image_file(const std::filesystem::path& path, const ReadOptions& options = {});

// The format by content (magic bytes): "png", "jpeg", "bmp", "tiff", "dicom", "nifti", "nifti.gz", or ""
// when the file is none of them (or cannot be read).
std::string detect_format(const std::filesystem::path& path);

// True when the path looks like something osgan should try to read in a dataset folder (by content).
bool is_supported_image(const std::filesystem::path& path);

}  // namespace osgan::io
