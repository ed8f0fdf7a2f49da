// JPEG through libjpeg-turbo, from the file's bytes in memory: 8-bit grey, or RGB for colour files (YCbCr converted
// by libjpeg; Adobe CMYK and YCCK as C*K/255). An Exif orientation is reported as a header repair, not applied. A
// damaged file is refused, never decoded to guessed pixels: libjpeg warns when it meets damaged data and carries on
// ("Corrupt JPEG data: ...", "Premature end of JPEG file"), and here its first warning ends the read as an error.
// Limits hold before decoding: the dimensions after jpeg_read_header, the memory libjpeg may take, and the number of
// scans (libjpeg-turbo's advice for untrusted input: a progressive file of thousands of tiny scans costs minutes).
// libjpeg reports errors by longjmp. Only the jpeg_* step functions below call setjmp, and they hold no object with
// a destructor, so a jump never skips one; the caller allocates between the steps and cleans up after them.
#include <csetjmp>
#include <cstdio>  // before jpeglib.h, which uses FILE and size_t without declaring them

#include <jpeglib.h>
#include <jerror.h>

#include <algorithm>
#include <climits>

#include "osgan/io/jpeg_markers.h"
#include "osgan/io/reader_common.h"

namespace osgan::io::detail {

namespace {

// Real progressive files have about 10 scans; TurboJPEG's own scan limit for untrusted input is 500.
constexpr int kMaxScans = 500;

// What libjpeg's callbacks share. Plain data only (see the file comment).
struct JpegDecoder {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr err;
  jpeg_progress_mgr progress;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX + 64];
  int code;      // libjpeg's message code of the error or warning
  bool warning;  // the read ended on a warning (damaged data), not an error
};

JpegDecoder& decoder_of(j_common_ptr cinfo) { return *static_cast<JpegDecoder*>(cinfo->client_data); }

[[noreturn]] void on_error(j_common_ptr cinfo) {
  JpegDecoder& d = decoder_of(cinfo);
  (*cinfo->err->format_message)(cinfo, d.message);
  d.code = cinfo->err->msg_code;
  std::longjmp(d.jump, 1);  // to the setjmp of the step that called libjpeg
}

// Level -1 is a warning: libjpeg met damaged data and would go on with guessed pixels. Traces (>= 0) are ignored,
// and nothing is printed.
void on_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;
  decoder_of(cinfo).warning = true;
  on_error(cinfo);
}

void on_progress(j_common_ptr cinfo) {
  const auto* dinfo = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (dinfo->input_scan_number <= kMaxScans) return;
  JpegDecoder& d = decoder_of(cinfo);
  std::snprintf(d.message, sizeof d.message, "more than %d scans (a progressive file built to take minutes)", kMaxScans);
  d.code = -1;
  std::longjmp(d.jump, 1);
}

// The decoder with osgan's callbacks and limits, then the markers up to the first scan. False on error.
bool jpeg_read_header_step(JpegDecoder& d, const unsigned char* data, std::size_t size, long max_memory) {
  d.cinfo.err = jpeg_std_error(&d.err);
  d.err.error_exit = on_error;
  d.err.emit_message = on_message;
  d.cinfo.client_data = &d;
  if (setjmp(d.jump)) return false;
  jpeg_create_decompress(&d.cinfo);
  d.cinfo.mem->max_memory_to_use = max_memory;
  d.progress.progress_monitor = on_progress;
  d.cinfo.progress = &d.progress;
  jpeg_mem_src(&d.cinfo, data, static_cast<unsigned long>(size));
  jpeg_save_markers(&d.cinfo, JPEG_APP0 + 1, 0xFFFF);  // Exif, for its orientation (jpeg_repairs)
  jpeg_read_header(&d.cinfo, TRUE);
  return true;
}

// Every row into `out` (output_components samples per pixel), then the rest of the file up to EOI.
bool jpeg_read_rows_step(JpegDecoder& d, unsigned char* out, std::size_t row_bytes) {
  if (setjmp(d.jump)) return false;
  jpeg_start_decompress(&d.cinfo);
  while (d.cinfo.output_scanline < d.cinfo.output_height) {
    JSAMPROW row = out + d.cinfo.output_scanline * row_bytes;
    jpeg_read_scanlines(&d.cinfo, &row, 1);
  }
  jpeg_finish_decompress(&d.cinfo);
  return true;
}

struct JpegDestroy {
  JpegDecoder& d;
  ~JpegDestroy() { jpeg_destroy_decompress(&d.cinfo); }  // safe on a struct jpeg_create_decompress never set up
};

// The reason for osgan's error line, by what libjpeg said.
std::string jpeg_failure(const JpegDecoder& d, long max_memory) {
  const std::string said = std::string("libjpeg: ") + d.message;
  if (d.code == JWRN_JPEG_EOF) return "truncated JPEG: the data ends before its end-of-image marker (" + said + ")";
  if (d.warning) return "damaged JPEG: libjpeg warns about its data and would carry on regardless (" + said + ")";
  if (d.code == JERR_NO_BACKING_STORE || d.code == JERR_OUT_OF_MEMORY)
    return "decoding needs more than the " + std::to_string(max_memory >> 20) +
           " MiB allowed for its pixel count (" + said + "); the file is corrupt or hostile, or raise ReadLimits::max_pixels";
  return "corrupt or unsupported JPEG (" + said + ")";
}

// Adobe CMYK (and YCCK, which libjpeg turns into it) is stored inverted: R = C * K / 255, and so on.
void cmyk_to_rgb(std::vector<unsigned char>& samples, std::size_t pixels) {
  for (std::size_t i = 0; i < pixels; ++i) {
    const unsigned k = samples[4 * i + 3];
    for (int c = 0; c < 3; ++c) samples[3 * i + c] = static_cast<unsigned char>((samples[4 * i + c] * k + 127) / 255);
  }
  samples.resize(3 * pixels);
}

// The header repairs (ImageInfo::repairs) of a JPEG whose header has been read: an Exif orientation osgan does
// not apply, and the colour spaces libjpeg guesses when no JFIF or Adobe marker names them.
std::vector<HeaderRepair> jpeg_repairs(const jpeg_decompress_struct& c) {
  std::vector<HeaderRepair> repairs;
  for (jpeg_saved_marker_ptr m = c.marker_list; m; m = m->next) {
    const int orientation = exif_orientation(m->data, m->data_length);
    if (orientation < 0) continue;
    if (orientation != 1)
      repairs.push_back({"Exif Orientation", std::to_string(orientation), "ignored: pixels read in stored order, not rotated or flipped"});
    break;  // the first Exif segment is the one readers use
  }
  if (c.num_components == 4 && !c.saw_Adobe_marker)
    repairs.push_back({"Adobe APP14 marker", "(missing)", "guessed: the 4 components read as Adobe's inverted CMYK"});
  if (c.num_components == 3 && !c.saw_JFIF_marker && !c.saw_Adobe_marker) {
    const int a = c.comp_info[0].component_id, b = c.comp_info[1].component_id, d = c.comp_info[2].component_id;
    const bool jfif_ids = a == 1 && b == 2 && d == 3, rgb_ids = a == 'R' && b == 'G' && d == 'B';
    if (!jfif_ids && !rgb_ids)
      repairs.push_back({"JPEG component ids", std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(d),
                         "guessed YCbCr: no JFIF or Adobe marker, and the ids are neither 1,2,3 nor R,G,B"});
  }
  return repairs;
}

}  // namespace

ImageFile read_jpeg_file(const std::filesystem::path& path, const ReadOptions& options) {
  const std::vector<unsigned char> bytes = read_file_bytes(path);
  // Progressive files keep every coefficient (2 bytes each, up to 4 components per pixel); 16 MiB for the rest.
  constexpr std::uint64_t kBase = 16u << 20;
  const auto max_memory = static_cast<long>(std::min<std::uint64_t>(options.limits.max_pixels, (LONG_MAX - kBase) / 8) * 8 + kBase);
  JpegDecoder d{};
  const JpegDestroy destroy{d};
  if (!jpeg_read_header_step(d, bytes.data(), bytes.size(), max_memory)) fail_read(ErrorCode::bad_format, path, jpeg_failure(d, max_memory));
  const JDIMENSION width = d.cinfo.image_width, height = d.cinfo.image_height;
  check_pixel_count(path, width, height, 1, options.limits);
  std::vector<HeaderRepair> repairs = jpeg_repairs(d.cinfo);  // now: the saved markers go with the decoder's image pool

  const int components = d.cinfo.num_components;
  if (components == 1) d.cinfo.out_color_space = JCS_GRAYSCALE;
  else if (components == 3) d.cinfo.out_color_space = JCS_RGB;
  else if (components == 4) d.cinfo.out_color_space = JCS_CMYK;
  else
    fail_read(ErrorCode::unsupported, path,
              "JPEG with " + std::to_string(components) + " colour components; expected 1 (grey), 3 (colour) or 4 (CMYK)");
  const std::size_t pixels = std::size_t{width} * height;
  std::vector<unsigned char> samples(pixels * components);  // (H, W, C)
  if (!jpeg_read_rows_step(d, samples.data(), std::size_t{width} * components))
    fail_read(ErrorCode::bad_format, path, jpeg_failure(d, max_memory));

  if (components == 4) cmyk_to_rgb(samples, pixels);
  const int channels = components == 1 ? 1 : 3;
  Image image = interleaved_to_grey(samples.data(), static_cast<int>(width), static_cast<int>(height), channels, 255.f);
  return single_image_file("jpeg", 8, channels, std::move(image), std::move(repairs));
}

}  // namespace osgan::io::detail
