// Input normalisation that removes a source's framing and intensity scale before the network sees an image:
// crop to the head (the largest 4-connected region above 8% of the intensity range, plus a 4% margin), pad to a
// square with the background, resize back, then z-score inside the head mask (clipped to +-3 sd, scaled to
// [-1, 1]). Part of the classifier (ClassifierConfig::input_norm = "head"), so training, evaluation, external sets
// and the domain features all see the same thing, and a saved model carries it.
#pragma once
#include <torch/torch.h>

namespace osgan::models {

// images (N, 1, S, S) in [-1, 1], any device -> the same shape, normalised. No gradient flows through the crop.
torch::Tensor normalise_head(const torch::Tensor& images);

}  // namespace osgan::models
