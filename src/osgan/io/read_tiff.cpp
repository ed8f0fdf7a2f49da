// TIFF through libtiff: 8/16/32-bit integer and 32/64-bit float grey or RGB(A), stripped or tiled, chunky or
// planar, read in file units. Other layouts (palette, YCbCr, CMYK, 1-4 bit) go through libtiff's RGBA
// conversion (8 bit). Only the first page (directory) is read. libtiff's messages are captured, not printed: its
// errors explain a failure, and any message on a file that reads (libtiff repaired or dropped a tag) is a header
// repair, as are the tags osgan itself guesses or ignores (tiff_repairs).
#include <tiffio.h>

#include <cmath>
#include <cstdarg>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>

#include "osgan/io/reader_common.h"

namespace osgan::io::detail {

namespace {

// libtiff reports through global handlers; the messages go to the calling thread's buffers instead of stderr:
// the first error, and every message (errors and warnings) of the file being read.
thread_local std::string t_tiff_error;
thread_local std::vector<std::string> t_tiff_messages;

std::string format_tiff_message(const char* module, const char* fmt, va_list ap) {
  char msg[512];
  std::vsnprintf(msg, sizeof msg, fmt, ap);
  return std::string(module ? module : "libtiff") + ": " + msg;
}

void capture_tiff_error(const char* module, const char* fmt, va_list ap) {
  const std::string message = format_tiff_message(module, fmt, ap);
  if (t_tiff_error.empty()) t_tiff_error = message;
  if (t_tiff_messages.size() < 16) t_tiff_messages.push_back(message);
}

void capture_tiff_warning(const char* module, const char* fmt, va_list ap) {
  const std::string message = format_tiff_message(module, fmt, ap);
  if (t_tiff_messages.size() < 16) t_tiff_messages.push_back(message);
}

void install_tiff_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    TIFFSetErrorHandler(capture_tiff_error);
    TIFFSetWarningHandler(capture_tiff_warning);
  });
}

struct TiffClose {
  void operator()(TIFF* t) const { TIFFClose(t); }
};

[[noreturn]] void fail_tiff(const std::filesystem::path& path, const std::string& what) {
  const std::string detail = t_tiff_error.empty() ? std::string() : ": " + t_tiff_error;
  fail_read(ErrorCode::bad_format, path, what + detail);
}

// One sample of the given format and width at `p`, as float.
float sample_at(const unsigned char* p, int format, int bits) {
  switch (bits) {
    case 8: return format == SAMPLEFORMAT_INT ? float(*reinterpret_cast<const std::int8_t*>(p)) : float(*p);
    case 16: {
      std::uint16_t v;
      std::memcpy(&v, p, 2);
      return format == SAMPLEFORMAT_INT ? float(static_cast<std::int16_t>(v)) : float(v);
    }
    case 32: {
      std::uint32_t v;
      std::memcpy(&v, p, 4);
      if (format == SAMPLEFORMAT_IEEEFP) {
        float f;
        std::memcpy(&f, &v, 4);
        return f;
      }
      return format == SAMPLEFORMAT_INT ? float(static_cast<std::int32_t>(v)) : float(v);
    }
    default: {  // 64-bit float
      double d;
      std::memcpy(&d, p, 8);
      return static_cast<float>(d);
    }
  }
}

struct Layout {
  std::uint32_t width = 0, height = 0;
  std::uint16_t bits = 8, spp = 1, format = SAMPLEFORMAT_UINT, photometric = PHOTOMETRIC_MINISBLACK;
  std::uint16_t planar = PLANARCONFIG_CONTIG;
  int colour = 1;          // 1 grey or 3 RGB
  int alpha = -1;          // sample index of the alpha channel, -1 if none
  bool premultiplied = false;
};

// Reads every sample into `out` (interleaved, spp per pixel, as float), stripped or tiled, chunky or planar.
void read_samples(TIFF* tif, const Layout& l, const std::filesystem::path& path, std::vector<float>& out) {
  const int bytes = l.bits / 8;
  const int per_chunk = l.planar == PLANARCONFIG_CONTIG ? l.spp : 1;  // samples per pixel in one strip/tile
  const int planes = l.planar == PLANARCONFIG_CONTIG ? 1 : l.spp;
  out.assign(static_cast<std::size_t>(l.width) * l.height * l.spp, 0.f);
  auto store = [&](const unsigned char* row, std::uint32_t y, std::uint32_t x0, std::uint32_t n, int plane) {
    for (std::uint32_t i = 0; i < n; ++i)
      for (int s = 0; s < per_chunk; ++s)
        out[(static_cast<std::size_t>(y) * l.width + x0 + i) * l.spp + plane + s] =
            sample_at(row + (static_cast<std::size_t>(i) * per_chunk + s) * bytes, l.format, l.bits);
  };
  if (TIFFIsTiled(tif)) {
    std::uint32_t tw = 0, th = 0;
    TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
    const tmsize_t tile_size = TIFFTileSize(tif);
    if (tw == 0 || th == 0 || tile_size <= 0 ||
        static_cast<std::uint64_t>(tile_size) < std::uint64_t(tw) * th * per_chunk * bytes)
      fail_tiff(path, "bad tile layout");
    std::vector<unsigned char> tile(static_cast<std::size_t>(tile_size));
    for (int plane = 0; plane < planes; ++plane)
      for (std::uint32_t ty = 0; ty < l.height; ty += th)
        for (std::uint32_t tx = 0; tx < l.width; tx += tw) {
          if (TIFFReadTile(tif, tile.data(), tx, ty, 0, static_cast<std::uint16_t>(plane)) < 0)
            fail_tiff(path, "corrupt or truncated tile data");
          const std::uint32_t n = std::min(tw, l.width - tx);
          for (std::uint32_t y = ty; y < std::min(ty + th, l.height); ++y)
            store(tile.data() + static_cast<std::size_t>(y - ty) * tw * per_chunk * bytes, y, tx, n, plane);
        }
    return;
  }
  const tmsize_t line_size = TIFFScanlineSize(tif);
  if (line_size <= 0 || static_cast<std::uint64_t>(line_size) < std::uint64_t(l.width) * per_chunk * bytes)
    fail_tiff(path, "bad strip layout");
  std::vector<unsigned char> line(static_cast<std::size_t>(line_size));
  for (int plane = 0; plane < planes; ++plane)
    for (std::uint32_t y = 0; y < l.height; ++y) {
      if (TIFFReadScanline(tif, line.data(), y, static_cast<std::uint16_t>(plane)) < 0)
        fail_tiff(path, "corrupt or truncated strip data at row " + std::to_string(y));
      store(line.data(), y, 0, l.width, plane);
    }
}

// Layouts outside the direct path: libtiff converts to 8-bit RGBA, which we then turn to grey.
Image read_via_rgba(TIFF* tif, const Layout& l, const std::filesystem::path& path) {
  char why[1024] = {0};
  if (!TIFFRGBAImageOK(tif, why)) fail_read(ErrorCode::unsupported, path, std::string("TIFF layout not supported: ") + why);
  std::vector<std::uint32_t> rgba(static_cast<std::size_t>(l.width) * l.height);
  if (!TIFFReadRGBAImageOriented(tif, l.width, l.height, rgba.data(), ORIENTATION_TOPLEFT, 0))
    fail_tiff(path, "corrupt or truncated image data");
  Image image(static_cast<int>(l.height), static_cast<int>(l.width));
  for (std::size_t i = 0; i < rgba.size(); ++i) {
    const float px[4] = {float(TIFFGetR(rgba[i])), float(TIFFGetG(rgba[i])), float(TIFFGetB(rgba[i])),
                         float(TIFFGetA(rgba[i]))};
    image.pixels[i] = to_grey(px, l.alpha >= 0 ? 4 : 3, 255.f);
  }
  return image;
}

// The tag a libtiff message is about, for the repair's field: a quoted tag name ("StripByteCounts"), else a tag
// named in the text, else the directory as a whole.
std::string tiff_message_field(const std::string& message) {
  const auto open = message.find('"');
  const auto close = open == std::string::npos ? open : message.find('"', open + 1);
  if (close != std::string::npos) return "TIFF " + message.substr(open + 1, close - open - 1);
  for (const char* tag : {"ExtraSamples", "Photometric", "BitsPerSample", "SamplesPerPixel", "Planarconfig"})
    if (message.find(tag) != std::string::npos) return std::string("TIFF ") + tag;
  return "TIFF directory";
}

// The header repairs of a TIFF that reads: what libtiff said about it (it drops a tag with a bad value, estimates
// missing strip sizes, declares extra samples), then what osgan guesses or ignores itself. `via_rgba`: read through
// libtiff's RGBA conversion. Messages about unknown (private) tags are left out: no reader can use those tags.
std::vector<HeaderRepair> tiff_repairs(TIFF* tif, const Layout& l, bool photometric_given, bool via_rgba) {
  std::vector<HeaderRepair> repairs;
  for (const auto& message : t_tiff_messages)
    if (message.find("Unknown field with tag") == std::string::npos)
      repairs.push_back({tiff_message_field(message), "", "repaired or dropped by libtiff (" + message + ")"});
  if (!photometric_given)
    repairs.push_back({"TIFF Photometric", "(missing)",
                       std::string("guessed ") + (l.colour == 3 ? "RGB" : "MinIsBlack") + " from " +
                           std::to_string(l.spp) + " sample(s) per pixel"});
  std::uint16_t orientation = ORIENTATION_TOPLEFT;
  TIFFGetField(tif, TIFFTAG_ORIENTATION, &orientation);
  if (!via_rgba && orientation != ORIENTATION_TOPLEFT)
    repairs.push_back({"TIFF Orientation", std::to_string(orientation), "ignored: rows and columns read in stored order"});
  if (via_rgba && orientation >= ORIENTATION_LEFTTOP)
    repairs.push_back({"TIFF Orientation", std::to_string(orientation),
                       "applied as " + std::to_string(orientation - 4) +
                           ": libtiff's RGBA conversion flips but does not swap rows and columns"});
  if (via_rgba && l.format != SAMPLEFORMAT_UINT)
    repairs.push_back({"TIFF SampleFormat", std::to_string(l.format),
                       "ignored: libtiff's 8-bit RGBA conversion reads the samples as unsigned integers"});
  if (!TIFFLastDirectory(tif))
    repairs.push_back({"TIFF page count", "more than 1", "ignored beyond the first page"});
  return repairs;
}

}  // namespace

ImageFile read_tiff_file(const std::filesystem::path& path, const ReadOptions& options) {
  install_tiff_handlers();
  t_tiff_error.clear();
  t_tiff_messages.clear();
  std::unique_ptr<TIFF, TiffClose> tif(TIFFOpen(path.c_str(), "r"));
  if (!tif) fail_tiff(path, "corrupt TIFF header");

  Layout l;
  if (!TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &l.width) || !TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &l.height))
    fail_tiff(path, "TIFF without image width/length tags");
  check_pixel_count(path, l.width, l.height, 1, options.limits);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &l.bits);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &l.spp);
  // Every sample is decoded into one buffer, so samples per pixel count against the limit too: a header may
  // declare up to 65535 (fuzz_image_tiff: a 505-byte file asked for 16 GB).
  if (l.spp < 1 || l.spp > 16)
    fail_tiff(path, "TIFF with " + std::to_string(l.spp) + " samples per pixel (expected 1 to 16)");
  check_pixel_count(path, l.width, l.height, l.spp, options.limits);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLEFORMAT, &l.format);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_PLANARCONFIG, &l.planar);
  const bool photometric_given = TIFFGetField(tif.get(), TIFFTAG_PHOTOMETRIC, &l.photometric) != 0;
  if (!photometric_given) l.photometric = l.spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
  l.colour = l.photometric == PHOTOMETRIC_RGB ? 3 : 1;
  std::uint16_t extra_count = 0;
  std::uint16_t* extra = nullptr;
  if (TIFFGetField(tif.get(), TIFFTAG_EXTRASAMPLES, &extra_count, &extra) && extra_count > 0 && l.spp > l.colour &&
      (extra[0] == EXTRASAMPLE_ASSOCALPHA || extra[0] == EXTRASAMPLE_UNASSALPHA)) {
    l.alpha = l.colour;
    l.premultiplied = extra[0] == EXTRASAMPLE_ASSOCALPHA;
  }

  ImageFile file;
  file.info.format = "tiff";
  file.info.bits_per_sample = l.bits;
  file.info.channels = l.colour + (l.alpha >= 0 ? 1 : 0);
  file.info.channel_mode = channel_mode_name(file.info.channels);
  file.info.width = static_cast<int>(l.width);
  file.info.height = static_cast<int>(l.height);

  const bool int_format = l.format == SAMPLEFORMAT_UINT || l.format == SAMPLEFORMAT_INT;
  const bool direct_bits = (int_format && (l.bits == 8 || l.bits == 16 || l.bits == 32)) ||
                           (l.format == SAMPLEFORMAT_IEEEFP && (l.bits == 32 || l.bits == 64));
  const bool direct_photometric = l.photometric == PHOTOMETRIC_MINISBLACK || l.photometric == PHOTOMETRIC_RGB ||
                                  (l.photometric == PHOTOMETRIC_MINISWHITE && l.format == SAMPLEFORMAT_UINT);
  if (!direct_bits || !direct_photometric || l.spp < l.colour) {
    if (l.format == SAMPLEFORMAT_IEEEFP || l.bits > 16)
      fail_read(ErrorCode::unsupported, path,
                "TIFF with " + std::to_string(l.bits) + "-bit samples (format " + std::to_string(l.format) +
                    ") and photometric " + std::to_string(l.photometric) + " is not supported");
    file.slices.push_back(Slice{read_via_rgba(tif.get(), l, path), -1});
    file.info.repairs = tiff_repairs(tif.get(), l, photometric_given, /*via_rgba=*/true);
    return file;
  }

  std::vector<float> samples;  // (H, W, spp)
  read_samples(tif.get(), l, path, samples);
  Image image(static_cast<int>(l.height), static_cast<int>(l.width));
  const float alpha_max = l.format == SAMPLEFORMAT_IEEEFP ? 1.f : float(std::pow(2.0, l.bits) - 1);
  const float white = float(std::pow(2.0, l.bits) - 1);
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    const float* px = &samples[i * l.spp];
    float v = l.colour == 3 ? luma_bt601(px[0], px[1], px[2]) : px[0];
    if (l.photometric == PHOTOMETRIC_MINISWHITE) v = white - v;  // 0 means white in such files
    if (l.alpha >= 0 && !l.premultiplied) v *= px[l.alpha] / alpha_max;  // composite over black
    image.pixels[i] = v;
  }
  file.slices.push_back(Slice{std::move(image), -1});
  file.info.repairs = tiff_repairs(tif.get(), l, photometric_given, /*via_rgba=*/false);
  return file;
}

}  // namespace osgan::io::detail
