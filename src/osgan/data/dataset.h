// A labelled image dataset: a folder with one subfolder per class (the subfolder names are the labels), or a
// CSV file of `path,label` rows (paths relative to the CSV's folder). Every readable image (every selected
// slice of a volume) becomes one Sample, preprocessed to one grey channel in [-1, 1].
// Bad files are skipped with a warning that names them (or are an error with `strict`).
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "osgan/io/image.h"

namespace osgan::data {

enum class IntensityScaling { percentile, minmax };

struct PreprocessOptions {
  int size = 128;                      // output is size x size
  IntensityScaling scaling = IntensityScaling::percentile;
  float low_percentile = 0.5f;         // percentile scaling: these map to -1 and 1, values outside are clipped
  float high_percentile = 99.5f;
  bool pad_to_square = false;          // keep the aspect ratio by padding with the background (minimum) value
};

// Scales intensities to [-1, 1] and resizes (area interpolation when shrinking, bilinear when enlarging).
io::Image preprocess_image(const io::Image& raw, const PreprocessOptions& options);
io::Image scale_intensity(const io::Image& raw, const PreprocessOptions& options);  // to [-1, 1], size unchanged
io::Image resize_image(const io::Image& image, int height, int width);
io::Image pad_to_square(const io::Image& image);  // centred, padded with the image's minimum

struct Sample {
  std::string id;            // unique in the dataset: the relative path, plus "#<slice>" for a slice of a volume
  std::string path;          // the file, relative to the dataset root
  std::string label;
  int label_index = 0;       // index into Dataset::classes
  int slice_index = -1;      // -1 for a 2D file
  std::string file_sha256;   // of the file's bytes (exact-duplicate detection)
  io::ImageInfo info;        // what the file was
  io::Image image;           // (size, size), in [-1, 1]
};

struct SkippedFile {
  std::string path;
  std::string reason;
};

struct Dataset {
  std::filesystem::path root;         // the folder, or the CSV's folder
  std::vector<std::string> classes;   // sorted label names
  std::vector<Sample> samples;
  std::vector<SkippedFile> skipped;

  std::vector<std::size_t> indices_of_class(const std::string& label) const;
};

struct DatasetOptions {
  io::ReadOptions read;
  PreprocessOptions preprocess;
  bool strict = false;  // a bad file is an error instead of a warning
};

// Throws osgan::Error when the folder/CSV is missing, a class is empty, there is only one class, or no image at
// all could be read. Sample order is deterministic (sorted by class, then by path).
Dataset load_dataset(const std::filesystem::path& folder_or_csv, const DatasetOptions& options = {});

}  // namespace osgan::data
