// A pre-check of the JPEG header of a frame inside a DICOM file. GDCM's IJG codec asserts, aborting the process,
// when libjpeg merely warns while reading the header. (Plain JPEG files need no such walk: read_jpeg.cpp gives
// libjpeg-turbo the file with its own error handlers, and treats its warnings as damage.) Not a JPEG decoder.
#pragma once
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

}  // namespace osgan::io::detail
