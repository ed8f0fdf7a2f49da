// JPEG marker helpers, not a JPEG decoder. A pre-check of the JPEG header of a frame inside a DICOM file: GDCM's
// IJG codec asserts, aborting the process, when libjpeg merely warns while reading the header. (Plain JPEG files
// need no such walk: read_jpeg.cpp gives libjpeg-turbo the file with its own error handlers, and treats its
// warnings as damage.) And the Exif orientation of a plain JPEG, which osgan reports but does not apply.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace osgan::io::detail {

// For a JPEG frame inside a DICOM file, before GDCM reads it: from SOI up to the first SOS, refuses what
// makes libjpeg warn (bytes between segments, a JFIF major version other than 1, an Adobe transform other
// than 0-2) or what GDCM asserts on (a frame with other than 1 or 3 components), and segments cut short.
// `what` names the frame in the message, e.g. "JPEG frame 0".
void check_dicom_jpeg_header(const std::filesystem::path& path, const std::vector<unsigned char>& bytes,
                             const std::string& what);

// The Orientation tag (0x0112) of IFD0 in the payload of an APP1 "Exif" segment (the bytes after the marker's
// length field: "Exif\0\0", then a TIFF structure), or -1 when the payload has none or is not Exif. Reads only
// within `size` bytes.
int exif_orientation(const unsigned char* payload, std::size_t size);

}  // namespace osgan::io::detail
