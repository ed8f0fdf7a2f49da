// Pre-checks of JPEG marker segments for libraries that fail badly on corrupt ones. stb_image 2.27 (Debian
// bookworm) overflows its Huffman tables on a DHT segment declaring more than 256 codes (fixed upstream in
// 2.28). GDCM's IJG codec (JPEG inside DICOM) asserts, aborting the process, when libjpeg merely warns while
// reading the header. Both walk segment headers only; neither is a JPEG decoder.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace osgan::io::detail {

// Throws bad_format naming the file when a DHT table declares more than 256 codes, a scan uses a Huffman table
// that no DHT before it defined (stb 2.27 then reads uninitialised memory), or a segment runs past
// the end of the data. Entropy-coded data after each SOS, and junk between segments, are skipped up to the
// next marker, as stb_image itself does.
void check_jpeg_markers(const std::filesystem::path& path, const std::vector<unsigned char>& bytes);

// For a JPEG frame inside a DICOM file, before GDCM reads it: from SOI up to the first SOS, refuses what
// makes libjpeg warn (bytes between segments, a JFIF major version other than 1, an Adobe transform other
// than 0-2) or what GDCM asserts on (a frame with other than 1 or 3 components), and segments cut short.
// `what` names the frame in the message, e.g. "JPEG frame 0".
void check_dicom_jpeg_header(const std::filesystem::path& path, const std::vector<unsigned char>& bytes,
                             const std::string& what);

}  // namespace osgan::io::detail
