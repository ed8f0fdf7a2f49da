// Per-class outliers: images whose intensity statistics or appearance sit far from the rest of their class
// (a CT slice among MRI, a sagittal slice among axial ones, a scanned film, an empty frame). Each image gets a
// few scalar features; each feature gets a robust z-score within its class, (x - median) / (1.4826 MAD)
// (Iglewicz & Hoaglin 1993), and an image is an outlier when any |z| reaches the threshold.
//
//   auto outliers = find_outliers(dataset, {});  // most extreme first
#pragma once
#include <string>
#include <vector>

#include "osgan/data/dataset.h"

namespace osgan::data {

// Features of one image in [-1, 1] (background at -1). "Foreground" is everything above the background level.
struct ImageFeatures {
  double background_fraction = 0;  // share of pixels at background level
  double mean = 0;                 // foreground mean intensity
  double std = 0;                  // foreground standard deviation
  double skewness = 0;             // of the foreground histogram
  double peak_fraction = 0;        // foreground share in the tallest 1/16 of the range: one dominant tissue (CT)
  double edge_energy = 0;          // mean gradient magnitude over the foreground
  double interior_texture = 0;     // mean |Laplacian| inside the foreground, over its std: low for smooth tissue
  double upper_gap = 0;            // 90th minus 75th percentile of the foreground: most tissue far below a bright
                                   // minority, such as bone in a CT windowed for brain

  static const std::vector<std::string>& names();
  std::vector<double> values() const;  // in the order of names()
};

ImageFeatures compute_image_features(const io::Image& image);

struct OutlierOptions {
  double min_z = 4.0;      // robust |z| from which a feature marks an image
  int min_class_size = 8;  // classes smaller than this are not scored (median/MAD meaningless)
};

struct FeatureDeviation {
  std::string feature;
  double value = 0;
  double z = 0;  // signed robust z-score within the class
};

struct Outlier {
  std::size_t index = 0;                  // into dataset.samples
  double score = 0;                       // the largest |z|
  std::vector<FeatureDeviation> reasons;  // every feature with |z| >= min_z, largest first
};

// Outliers in every class, by decreasing score.
std::vector<Outlier> find_outliers(const Dataset& dataset, const OutlierOptions& options = {});

// Robust z-scores of `values`: (x - median) / (1.4826 MAD); a zero MAD falls back to the mean absolute
// deviation, and to zeros for constant input.
std::vector<double> robust_z_scores(const std::vector<double>& values);

}  // namespace osgan::data
