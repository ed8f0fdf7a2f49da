// Pixel-intensity histograms of an image set and the 1-Wasserstein (earth mover's) distance between two of
// them (Villani 2009; in one dimension W1 = integral of |F_a - F_b|, the area between the two CDFs). Used to
// compare generated and real images of one class.
#pragma once
#include <vector>

#include <torch/torch.h>

namespace osgan::metrics {

struct Histogram {
  double low = -1, high = 1;      // range; values outside are counted in the end bins
  std::vector<double> density;    // per bin, sums to 1 (empty set: all zero)
  int64_t count = 0;              // pixels counted
  double bin_width() const { return (high - low) / static_cast<double>(density.size()); }
};

// images: any shape (all pixels count), values in [low, high] (osgan images: [-1, 1]).
Histogram compute_intensity_histogram(const torch::Tensor& images, int bins = 64, double low = -1, double high = 1);

// W1 between two histograms on the same bins, in pixel-value units: bin_width * sum_k |CDF_a(k) - CDF_b(k)|.
// Throws osgan::Error when the bins differ.
double compute_wasserstein_1(const Histogram& a, const Histogram& b);

}  // namespace osgan::metrics
