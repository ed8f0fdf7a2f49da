// Sample grids: many images in one PNG, for looking at a run's progress (real vs generated side by side).
#pragma once
#include <filesystem>

#include <torch/torch.h>

#include "osgan/io/image.h"

namespace osgan {

// images: (N, 1, H, W) in [-1, 1]. Returns a grey 0..255 image of `columns` columns (0 = about square), with
// `padding` pixels of black between and around the tiles.
io::Image make_image_grid(const torch::Tensor& images, int columns = 0, int padding = 2);

// a | gap | b, top-aligned, on black (0); for "real | generated".
io::Image side_by_side(const io::Image& a, const io::Image& b, int gap = 8);

// Maps one image from [-1, 1] to 0..255 (clamped).
io::Image to_grey8(const io::Image& image);

}  // namespace osgan
