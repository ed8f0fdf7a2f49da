// The 8 symmetries of the square (identity, flips, 90-degree rotations, transposes), used to find copies of an
// image that were flipped or rotated. Works on continuous coordinates, so images never need to be copied.
#pragma once
#include <string>

namespace osgan::data {

// A symmetry of the square: optionally transpose, then mirror x and/or y. Index 0..7 (bit 0: mirror x,
// bit 1: mirror y, bit 2: transpose). Index 0 is the identity.
struct Dihedral {
  int index = 0;

  bool mirror_x() const { return (index & 1) != 0; }
  bool mirror_y() const { return (index & 2) != 0; }
  bool transpose() const { return (index & 4) != 0; }

  // Maps an output coordinate (y, x) of the transformed image to the source coordinate, for an image whose
  // coordinates run over [0, extent] (extent = size - 1 for pixel centres).
  void source_of(double y, double x, double extent, double& sy, double& sx) const {
    sy = transpose() ? x : y;
    sx = transpose() ? y : x;
    if (mirror_x()) sx = extent - sx;
    if (mirror_y()) sy = extent - sy;
  }

  // "identity", "flip_lr", "flip_ud", "rot180", "transpose", "rot90_ccw", "rot90_cw", "anti_transpose".
  std::string name() const;
};

constexpr int kDihedralCount = 8;

}  // namespace osgan::data
