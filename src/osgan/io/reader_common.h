// Internal helpers shared by the format readers (not part of the public io API): file checks that run
// before any library sees the file, the limits, grey conversion and slice selection. Torch-free.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "osgan/core/error.h"
#include "osgan/io/image.h"

namespace osgan::io::detail {

// Throws osgan::Error(code) with the one-line message: read_image_file: cannot read "<path>" (<reason>).
[[noreturn]] void fail_read(ErrorCode code, const std::filesystem::path& path, const std::string& reason);

// Checks that the path is a readable regular file within limits.max_file_bytes (stat before reading);
// reports symlink loops, directories, missing and unreadable files by name. Returns the size in bytes.
std::uint64_t check_regular_file(const std::filesystem::path& path, const ReadLimits& limits);

// The whole file (callers check its size first).
std::vector<unsigned char> read_file_bytes(const std::filesystem::path& path);

// Up to `count` bytes from the start of the file; fewer for a short file, none when it cannot be read.
std::vector<unsigned char> read_file_head(const std::filesystem::path& path, std::size_t count);

// Fails with bad_format when width x height x frames is not positive or exceeds limits.max_pixels.
// Call with the dimensions from the header, before any pixel data is decoded.
void check_pixel_count(const std::filesystem::path& path, std::uint64_t width, std::uint64_t height,
                       std::uint64_t frames, const ReadLimits& limits);

// The slice indices (ascending) that `selection` picks out of `count` slices. Kind::range clamps `last` to
// the end; an empty selection or a bad middle count throws invalid_argument naming the file.
std::vector<int> select_slices(const std::filesystem::path& path, int count, const SliceSelection& selection);

// ITU-R BT.601 luma, the weights used for all RGB -> grey conversions in osgan.
inline float luma_bt601(float r, float g, float b) { return 0.299f * r + 0.587f * g + 0.114f * b; }

// One interleaved pixel of `channels` samples to grey: grey as is; RGB -> BT.601 luma; alpha composited over
// black (value * alpha / alpha_max), so transparent pixels become 0.
inline float to_grey(const float* px, int channels, float alpha_max) {
  switch (channels) {
    case 1: return px[0];
    case 2: return px[0] * (px[1] / alpha_max);
    case 3: return luma_bt601(px[0], px[1], px[2]);
    default: return luma_bt601(px[0], px[1], px[2]) * (px[3] / alpha_max);
  }
}

// "grey", "grey+alpha", "rgb", "rgba" for 1..4 channels.
std::string channel_mode_name(int channels);

// Interleaved samples (H, W, C) of 1..4 channels to one grey (H, W) image with to_grey; `alpha_max` is the
// largest sample value (255 or 65535).
template <typename T>
Image interleaved_to_grey(const T* samples, int width, int height, int channels, float alpha_max) {
  Image image(height, width);
  float px[4];
  const std::size_t n = static_cast<std::size_t>(width) * height;
  for (std::size_t i = 0; i < n; ++i) {
    for (int c = 0; c < channels; ++c) px[c] = static_cast<float>(samples[i * channels + c]);
    image.pixels[i] = to_grey(px, channels, alpha_max);
  }
  return image;
}

// A 2D image file (PNG, JPEG, BMP) as read_image_file returns it: one slice, its info filled in.
ImageFile single_image_file(const std::string& format, int bits_per_sample, int channels, Image image,
                            std::vector<HeaderRepair> repairs = {});

// "scl_slope = nan: ignored, no intensity scaling applied; bitpix = 8: ..." for messages (one line).
std::string describe_repairs(const std::vector<HeaderRepair>& repairs);

// What read_image_file does with a file's repairs: nothing when there are none; with `strict`, throws
// bad_format naming the file and every field; otherwise logs one warning naming them.
void report_repairs(const std::filesystem::path& path, const std::vector<HeaderRepair>& repairs, bool strict);

// The format readers, each called by read_image_file once the content says which one applies.
ImageFile read_png_file(const std::filesystem::path& path, const ReadOptions& options);
ImageFile read_jpeg_file(const std::filesystem::path& path, const ReadOptions& options);
ImageFile read_bmp_file(const std::filesystem::path& path, const ReadOptions& options);
ImageFile read_tiff_file(const std::filesystem::path& path, const ReadOptions& options);
ImageFile read_dicom_file(const std::filesystem::path& path, const ReadOptions& options);
ImageFile read_nifti_file(const std::filesystem::path& path, bool gzipped, const ReadOptions& options);

}  // namespace osgan::io::detail
