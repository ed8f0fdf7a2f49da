// Perceptual hash (pHash) of a grey image: the signs of the lowest 8x8 DCT coefficients of a 32x32 thumbnail
// relative to their median. Robust to resizing, mild blur and monotonic contrast changes; used as a cheap
// candidate generator for near-duplicate search (Zauner 2010, "Implementation and Benchmarking of Perceptual
// Image Hash Functions").
#pragma once
#include <array>
#include <cstdint>

#include "osgan/data/dihedral.h"
#include "osgan/io/image.h"

namespace osgan::data {

constexpr int kHashThumbnail = 32;  // the DCT input is kHashThumbnail x kHashThumbnail
constexpr int kHashBlock = 8;       // the lowest kHashBlock x kHashBlock coefficients make the 64 bits

// 64-bit pHash of `image` (any size, any intensity range), after applying the symmetry `transform`.
std::uint64_t perceptual_hash(const io::Image& image, Dihedral transform = {});

// The hashes of the 8 symmetric versions of `image`, indexed by Dihedral::index.
std::array<std::uint64_t, kDihedralCount> perceptual_hashes(const io::Image& image);

int hamming_distance(std::uint64_t a, std::uint64_t b);

}  // namespace osgan::data
