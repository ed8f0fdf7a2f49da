// Mode features: 20 numbers per brain slice that keep what a reader uses to tell acquisitions apart, the contrast
// (T1 with or without contrast agent, T2, FLAIR, CT) and the plane (axial, coronal, sagittal), so that k-means on
// them finds the modes of a class (mode_model.h). osgan's other feature spaces do not keep them: the classifier's
// domain features are trained to be blind to contrast (gamma and contrast augmentation, z-scored inside the head),
// and the structure features (metrics/structure_features.h) are 64 parts head layout, which sorts slices by head
// size and position. Torch-free, so the dataset audit can use them.
//
// Every image is resampled to kModeFeatureSize x kModeFeatureSize first (area average down, bilinear up); at 64 px
// the scalp, skull and the CSF over the brain merge into one or two pixels. Then:
//   head mask: pixels above a level just over the background (10% of the way from the image's 1st to its 99th
//     percentile), the 4-connected parts of at least a tenth of the largest one (the scalp can be cut off from the
//     brain by a dark skull; specks of noise are smaller), holes filled (dark skull and CSF are inside the head).
//     The depth of a head pixel is its distance to the head's edge over the largest such distance (0 at the edge,
//     1 at the centre); from depth 0.2 on a pixel counts as brain.
//   shape (6): head area, log aspect ratio and fill of its bounding box, overlap (IoU) and pixel correlation of the
//     head with its left-right mirror, log of the width at 1/4 over the width at 3/4 of the height. Axial heads are
//     upright symmetric ovals; coronal slices narrow to the neck; sagittal slices are not mirror-symmetric.
//   contrast (14), each a log ratio to the brain's median intensity counted from the background (so independent of
//     windowing): the mean in 8 bands of depth (scalp: bright on T1; skull: bright only on CT; CSF over the brain:
//     bright only on T2; cortex; deep matter; ventricles), the brain's 10/25/75/90th percentiles, its mean edge
//     strength, and the line polarity: whether thin lines inside the brain (the sulci) are bright (T2) or dark.
// Images are expected in [-1, 1] (osgan's preprocessing) with the background near the minimum.
#pragma once
#include <string>
#include <vector>

#include "osgan/io/image.h"

namespace osgan::data {

constexpr int kModeFeatureSize = 128;  // features are computed at this resolution, whatever the run's image size

// The head of one kModeFeatureSize x kModeFeatureSize image.
struct HeadMask {
  std::vector<unsigned char> inside;  // (size, size): 1 inside the head
  std::vector<float> depth;           // (size, size): chamfer distance to the nearest outside pixel; 0 outside
  int area = 0;                       // pixels inside
};

// image (H, W) >= 16x16 in [-1, 1], resampled to kModeFeatureSize first. A constant image, or one with nothing above
// the background level, gives an empty mask (area 0).
HeadMask find_head_mask(const io::Image& image);

// The names of the features, in order; their count is the feature dimension D.
const std::vector<std::string>& mode_feature_names();

// The weight of each feature in a distance, after standardisation (mode_model.h): shape 0.5 (most slices are axial,
// and a tumour breaks the mirror symmetry too), contrast 1, line polarity 3 (the only cue that tells T2 from FLAIR on
// its own; the other 13 contrast features mostly move together with the brain's overall brightness).
const std::vector<double>& mode_feature_weights();

// image (H, W) >= 16x16 in [-1, 1] -> D values in the order of mode_feature_names(). An image without a head gets
// zeros except its area, itself far from every real slice.
std::vector<double> compute_mode_features(const io::Image& image);

}  // namespace osgan::data
