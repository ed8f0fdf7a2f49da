// Small building blocks for the self-contained HTML report: escaping, base64 and data URIs.
// Everything the report shows is inlined through these, so the page never makes a request.
#pragma once
#include <filesystem>
#include <string>

namespace osgan::report {

// Escapes &, <, >, " and ' so that `text` is safe both as element content and inside an attribute.
std::string html_escape(const std::string& text);

// Standard base64 (RFC 4648, with padding).
std::string base64_encode(const std::string& bytes);

// The MIME type a browser needs for an image file, decided by its magic bytes: "image/png", "image/jpeg",
// "image/gif", "image/bmp", "image/webp", "image/svg+xml", or "" when browsers cannot show it (DICOM, NIfTI,
// TIFF, unreadable).
std::string browser_image_mime(const std::string& bytes);

// data:<mime>;base64,... of an image file. Throws osgan::Error (io) when the file cannot be read and
// (unsupported) when a browser cannot display its format.
std::string image_file_data_uri(const std::filesystem::path& path);

// data:image/svg+xml;base64,... of an SVG document (a plot from gnuplot).
std::string svg_data_uri(const std::string& svg);

}  // namespace osgan::report
