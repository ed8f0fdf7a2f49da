// A pre-check of JPEG marker segments before stb_image decodes them. stb_image 2.27 (Debian bookworm)
// overflows its Huffman tables on a DHT segment declaring more than 256 codes (fixed upstream in 2.28),
// so such files must be refused first. Walks segment headers only; it is not a JPEG decoder.
#pragma once
#include <filesystem>
#include <vector>

namespace osgan::io::detail {

// Throws bad_format naming the file when a DHT table declares more than 256 codes or a segment runs past
// the end of the data. Entropy-coded data after each SOS, and junk between segments, are skipped up to the
// next marker, as stb_image itself does.
void check_jpeg_markers(const std::filesystem::path& path, const std::vector<unsigned char>& bytes);

}  // namespace osgan::io::detail
