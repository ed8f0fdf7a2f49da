// DICOM through GDCM (gdcm::PixmapReader): single- and multi-frame, every transfer syntax this GDCM build
// can decode. GDCM returns stored values: we apply Rescale Slope/Intercept ourselves, and invert MONOCHROME1
// within the stored range (smin + smax - v) before rescaling, so bright always means high signal.
// Debian's GDCM keeps its asserts, so structure and codec headers are checked before it decodes anything, and
// GDCM runs in a child process (isolated_call.h): an assert no check foresaw ends the child, not osgan. The child
// hands back the decoded samples and the rescale of each selected frame; turning them into intensities happens here.
// Header fields that GDCM fills in or osgan reads otherwise than written (a missing photometric interpretation, a
// rescale slope that is not a number, a high bit that is not BitsStored - 1) are reported as header repairs.
#include <gdcmJPEG2000Codec.h>
#include <gdcmJPEGCodec.h>
#include <gdcmJPEGLSCodec.h>
#include <gdcmPixmapReader.h>
#include <gdcmSequenceOfFragments.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmTrace.h>
#include <gdcmUIDs.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "osgan/core/one_line.h"
#include "osgan/io/dicom_structure.h"
#include "osgan/io/isolated_call.h"
#include "osgan/io/reader_common.h"

namespace osgan::io::detail {

namespace {

// GDCM reports through global streams, and some problems only there: a truncated Pixel Data element is read
// as if complete, with just a warning. While one DICOM is read (under this lock) the warnings and errors go
// to buffers we inspect; outside, GDCM stays silent. The lock serialises DICOM reads, a deliberate cost.
class GdcmMessages {
 public:
  GdcmMessages() : lock_(mutex()) {
    warnings().str({});
    errors().str({});
    gdcm::Trace::SetDebug(false);
    gdcm::Trace::SetWarningStream(warnings());
    gdcm::Trace::SetErrorStream(errors());
    gdcm::Trace::SetWarning(true);
    gdcm::Trace::SetError(true);
  }
  ~GdcmMessages() {
    gdcm::Trace::SetWarning(false);
    gdcm::Trace::SetError(false);
  }
  bool warned(const std::string& text) const { return warnings().str().find(text) != std::string::npos; }
  // The message line of GDCM's first error ("Error: In <file>, line <n>, function <f>\n<message>"), or "".
  std::string first_error() const {
    const std::string all = errors().str();
    const auto start = all.find('\n');
    if (start == std::string::npos) return {};
    const auto end = all.find('\n', start + 1);
    return all.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
  }

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static std::ostringstream& warnings() {
    static std::ostringstream s;
    return s;
  }
  static std::ostringstream& errors() {
    static std::ostringstream s;
    return s;
  }
  std::lock_guard<std::mutex> lock_;
};

// The text of a decimal-string element such as (0028,1053) Rescale Slope, trailing padding removed; false when
// the element is absent or empty.
bool find_ds(const gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, std::string& text) {
  const gdcm::Tag tag(group, element);
  if (!ds.FindDataElement(tag)) return false;
  const gdcm::ByteValue* bv = ds.GetDataElement(tag).GetByteValue();
  if (!bv || bv->GetLength() == 0) return false;
  text.assign(bv->GetPointer(), bv->GetLength());
  while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.pop_back();
  return true;
}

// The first value of a decimal string ("1.5\\2" gives 1.5); false when it is not a finite number.
bool parse_ds(const std::string& text, double& value) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(v)) return false;
  value = v;
  return true;
}

// Adds `repair` unless the same one is already there (a multi-frame file repeats its per-frame fields).
void add_repair(std::vector<HeaderRepair>& repairs, HeaderRepair repair) {
  for (const auto& r : repairs)
    if (r.field == repair.field && r.value == repair.value && r.action == repair.action) return;
  repairs.push_back(std::move(repair));
}

// What the GDCM side hands back, with no GDCM type in it: the selected frames' stored samples, their format and
// photometric interpretation, and each selected frame's rescale.
struct DecodedDicom {
  enum Scalar : std::int32_t { integer = 0, float32 = 1, float64 = 2 };
  enum Photometric : std::int32_t { monochrome1 = 0, monochrome2 = 1, rgb = 2, ybr_full = 3 };
  std::uint64_t width = 0, height = 0, frames = 0;
  std::int32_t samples_per_pixel = 1, bits_allocated = 0, bits_stored = 0;
  std::int32_t is_signed = 0, scalar = integer, photometric = monochrome2, planar = 0;
  std::vector<std::int32_t> selected;    // frame numbers, from 0
  std::vector<double> slope, intercept;  // one per selected frame
  std::vector<char> samples;             // (selected, H, W, spp) or planar (selected, spp, H, W), native order
  std::vector<char> repairs;             // header repairs seen on the GDCM side (repairs_to_text)
};

// Header repairs as text for the trip from the child process: fields separated by \x1f, repairs by \x1e (one_line
// writes those bytes, like every control character, as \xNN when a hostile value holds them).
std::vector<char> repairs_to_text(const std::vector<HeaderRepair>& repairs) {
  std::string text;
  for (const auto& r : repairs) text += one_line(r.field) + '\x1f' + one_line(r.value) + '\x1f' + one_line(r.action) + '\x1e';
  return std::vector<char>(text.begin(), text.end());
}

std::vector<HeaderRepair> repairs_from_text(const std::filesystem::path& path, const std::vector<char>& bytes) {
  std::vector<HeaderRepair> repairs;
  std::vector<std::string> parts(1);
  for (const char c : bytes) {
    if (c == '\x1f') {
      parts.emplace_back();
    } else if (c == '\x1e') {
      if (parts.size() != 3) break;
      repairs.push_back({parts[0], parts[1], parts[2]});
      parts.assign(1, std::string());
    } else {
      parts.back() += c;
    }
  }
  if (parts.size() != 1 || !parts[0].empty())
    fail_read(ErrorCode::bad_format, path, "the GDCM decoder process sent inconsistent header notes");
  return repairs;
}

// Flat bytes for the trip from the child process; every field in a fixed order.
class Bytes {
 public:
  explicit Bytes(std::vector<char> data = {}) : data_(std::move(data)) {}
  template <typename T>
  void put(const T& value) {
    const char* p = reinterpret_cast<const char*>(&value);
    data_.insert(data_.end(), p, p + sizeof(T));
  }
  template <typename T>
  void put_vector(const std::vector<T>& values) {
    put<std::uint64_t>(values.size());
    const char* p = reinterpret_cast<const char*>(values.data());
    data_.insert(data_.end(), p, p + values.size() * sizeof(T));
  }
  template <typename T>
  T get() {
    T value{};
    take(&value, sizeof(T));
    return value;
  }
  template <typename T>
  std::vector<T> get_vector() {
    const auto count = get<std::uint64_t>();
    if (count > (data_.size() - at_) / sizeof(T)) throw std::length_error("short decoder result");
    std::vector<T> values(count);
    take(values.data(), count * sizeof(T));
    return values;
  }
  std::vector<char>& data() { return data_; }

 private:
  void take(void* out, std::size_t n) {
    if (n > data_.size() - at_) throw std::length_error("short decoder result");
    if (n == 0) return;  // an empty vector's data() may be null, which memcpy must not be given even for 0 bytes
    std::memcpy(out, data_.data() + at_, n);
    at_ += n;
  }
  std::vector<char> data_;
  std::size_t at_ = 0;
};

std::vector<char> to_bytes(const DecodedDicom& d) {
  Bytes b;
  b.put(d.width), b.put(d.height), b.put(d.frames);
  b.put(d.samples_per_pixel), b.put(d.bits_allocated), b.put(d.bits_stored);
  b.put(d.is_signed), b.put(d.scalar), b.put(d.photometric), b.put(d.planar);
  b.put_vector(d.selected), b.put_vector(d.slope), b.put_vector(d.intercept), b.put_vector(d.samples);
  b.put_vector(d.repairs);
  return std::move(b.data());
}

DecodedDicom from_bytes(std::vector<char> bytes) {
  Bytes b(std::move(bytes));
  DecodedDicom d;
  d.width = b.get<std::uint64_t>(), d.height = b.get<std::uint64_t>(), d.frames = b.get<std::uint64_t>();
  d.samples_per_pixel = b.get<std::int32_t>(), d.bits_allocated = b.get<std::int32_t>(), d.bits_stored = b.get<std::int32_t>();
  d.is_signed = b.get<std::int32_t>(), d.scalar = b.get<std::int32_t>(), d.photometric = b.get<std::int32_t>();
  d.planar = b.get<std::int32_t>();
  d.selected = b.get_vector<std::int32_t>(), d.slope = b.get_vector<double>(), d.intercept = b.get_vector<double>();
  d.samples = b.get_vector<char>();
  d.repairs = b.get_vector<char>();
  return d;
}

// One stored sample as float, with bits above BitsStored masked off and signed values sign-extended.
float stored_sample(const unsigned char* p, const DecodedDicom& d) {
  const int bytes = d.bits_allocated / 8;
  if (d.scalar == DecodedDicom::float32) {
    float f;
    std::memcpy(&f, p, 4);
    return f;
  }
  if (d.scalar == DecodedDicom::float64) {
    double v;
    std::memcpy(&v, p, 8);
    return static_cast<float>(v);
  }
  std::uint64_t raw = 0;
  std::memcpy(&raw, p, static_cast<std::size_t>(bytes));  // little-endian host: GDCM returns native order
  int stored = d.bits_stored;
  if (stored <= 0 || stored > bytes * 8) stored = bytes * 8;  // corrupt BitsStored: use all bits
  if (stored < 64) raw &= (std::uint64_t(1) << stored) - 1;
  if (d.is_signed && stored < 64 && (raw >> (stored - 1)) & 1)
    return static_cast<float>(static_cast<std::int64_t>(raw) - (std::int64_t(1) << stored));
  return static_cast<float>(raw);
}

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

// "1.2.840.10008.1.2.4.70 (JPEG Lossless, ...)" for messages.
std::string transfer_syntax_name(const gdcm::TransferSyntax& ts) {
  if (!ts.IsValid()) return "unknown";
  const std::string uid = trimmed(ts.GetString());
  gdcm::UIDs known;
  if (known.SetFromUID(uid.c_str()) && known.GetName()) return uid + " (" + known.GetName() + ")";
  return uid;
}

bool ends_with_eoi(const gdcm::ByteValue& bv) {
  const std::size_t n = bv.GetLength();
  const auto* end = reinterpret_cast<const unsigned char*>(bv.GetPointer()) + n;
  return (n >= 1 && end[-1] == 0xD9) || (n >= 2 && end[-1] == 0x00 && end[-2] == 0xD9);
}

// Debian's GDCM asserts (aborts) when a compressed frame decodes to more bytes than the DICOM header
// promises. So each JPEG / JPEG-LS / JPEG 2000 frame header is read first (through GDCM's own codec) and
// compared with the DICOM dimensions and pixel format.
void check_compressed_frames(const std::filesystem::path& path, const gdcm::Bitmap& image, std::uint64_t frames) {
  const gdcm::TransferSyntax& ts = image.GetTransferSyntax();
  gdcm::JPEGCodec jpeg;
  gdcm::JPEGLSCodec jpeg_ls;
  gdcm::JPEG2000Codec jpeg2000;
  gdcm::ImageCodec* codec = jpeg.CanDecode(ts) ? static_cast<gdcm::ImageCodec*>(&jpeg)
                            : jpeg_ls.CanDecode(ts) ? static_cast<gdcm::ImageCodec*>(&jpeg_ls)
                            : jpeg2000.CanDecode(ts) ? static_cast<gdcm::ImageCodec*>(&jpeg2000)
                                                     : nullptr;
  const gdcm::SequenceOfFragments* fragments = image.GetDataElement().GetSequenceOfFragments();
  if (!codec || !fragments || fragments->GetNumberOfFragments() == 0) return;
  codec->SetPixelFormat(image.GetPixelFormat());  // the JPEG codec picks its 8/12/16-bit decoder from this
  // One fragment per frame is the common layout; otherwise only the first frame's header can be found.
  const std::size_t count = fragments->GetNumberOfFragments() == frames ? frames : 1;
  if (codec == &jpeg_ls && count != frames) {  // several fragments per frame: at least the last must end well
    const gdcm::ByteValue* last = fragments->GetFragment(fragments->GetNumberOfFragments() - 1).GetByteValue();
    if (!last || !ends_with_eoi(*last))
      fail_read(ErrorCode::bad_format, path, "truncated or corrupt JPEG-LS pixel data (no end marker)");
  }
  const gdcm::PixelFormat& pf = image.GetPixelFormat();
  const unsigned int* dims = image.GetDimensions();
  for (std::size_t i = 0; i < count; ++i) {
    const gdcm::ByteValue* bv = fragments->GetFragment(static_cast<unsigned int>(i)).GetByteValue();
    if (!bv || bv->GetLength() == 0) fail_read(ErrorCode::bad_format, path, "empty compressed frame " + std::to_string(i));
    // GDCM's JPEG-LS decoder asserts that each frame ends with the EOI marker (FF D9, maybe padded by 00).
    if (codec == &jpeg_ls && count == frames && !ends_with_eoi(*bv))
      fail_read(ErrorCode::bad_format, path, "truncated or corrupt JPEG-LS frame " + std::to_string(i) + " (no end marker)");
    std::istringstream frame(std::string(bv->GetPointer(), bv->GetLength()));
    gdcm::TransferSyntax frame_ts = ts;
    if (!codec->GetHeaderInfo(frame, frame_ts))
      fail_read(ErrorCode::bad_format, path, "corrupt compressed frame " + std::to_string(i) + " (no valid codec header)");
    const unsigned int* fdims = codec->GetDimensions();
    const gdcm::PixelFormat& fpf = codec->GetPixelFormat();
    if (fdims[0] != dims[0] || fdims[1] != dims[1] || fpf.GetSamplesPerPixel() != pf.GetSamplesPerPixel() ||
        fpf.GetBitsAllocated() > pf.GetBitsAllocated())
      fail_read(ErrorCode::bad_format, path,
                "compressed frame " + std::to_string(i) + " is " + std::to_string(fdims[0]) + "x" +
                    std::to_string(fdims[1]) + "x" + std::to_string(fpf.GetSamplesPerPixel()) + " at " +
                    std::to_string(fpf.GetBitsAllocated()) + " bits, but the DICOM header says " +
                    std::to_string(dims[0]) + "x" + std::to_string(dims[1]) + "x" +
                    std::to_string(pf.GetSamplesPerPixel()) + " at " + std::to_string(pf.GetBitsAllocated()) + " bits");
  }
}

// The data set of item `index` (from 0) of sequence `tag` in `ds`, or null.
const gdcm::DataSet* item_of(const gdcm::DataSet& ds, const gdcm::Tag& tag, std::size_t index) {
  if (!ds.FindDataElement(tag)) return nullptr;
  const gdcm::SmartPointer<gdcm::SequenceOfItems> sq = ds.GetDataElement(tag).GetValueAsSQ();
  if (!sq || index >= sq->GetNumberOfItems()) return nullptr;
  return &sq->GetItem(index + 1).GetNestedDataSet();  // items are numbered from 1
}

// One Rescale Slope/Intercept pair in `ds` (the top level, or a Pixel Value Transformation item): false when `ds`
// has no slope. A slope that is not a finite, non-zero number is ignored with its intercept (no rescale: a zero slope
// would make every pixel the intercept); an intercept that is not a number is read as 0; an intercept without a
// slope is ignored. Each such field goes into `repairs`.
bool read_rescale(const gdcm::DataSet& ds, double& slope, double& intercept, std::vector<HeaderRepair>& repairs) {
  std::string slope_text, intercept_text;
  const bool has_slope = find_ds(ds, 0x0028, 0x1053, slope_text);
  const bool has_intercept = find_ds(ds, 0x0028, 0x1052, intercept_text);
  if (!has_slope) {
    if (has_intercept)
      add_repair(repairs, {"(0028,1052) Rescale Intercept", intercept_text, "ignored: no Rescale Slope goes with it"});
    return false;
  }
  double s = 0.0;
  if (!parse_ds(slope_text, s) || s == 0.0) {
    add_repair(repairs, {"(0028,1053) Rescale Slope", slope_text, "ignored with the intercept: no rescale applied"});
    slope = 1.0, intercept = 0.0;
    return true;
  }
  slope = s, intercept = 0.0;
  if (has_intercept && !parse_ds(intercept_text, intercept)) {
    add_repair(repairs, {"(0028,1052) Rescale Intercept", intercept_text, "read as 0"});
    intercept = 0.0;
  }
  return true;
}

// Rescale (modality LUT) of frame `frame`: top-level Rescale Slope/Intercept, else the enhanced
// multi-frame Pixel Value Transformation Sequence (0028,9145) of that frame's per-frame functional group,
// else of the shared group; identity when none is present.
void rescale_for_frame(const gdcm::DataSet& ds, std::size_t frame, double& slope, double& intercept,
                       std::vector<HeaderRepair>& repairs) {
  slope = 1.0, intercept = 0.0;
  if (read_rescale(ds, slope, intercept, repairs)) return;
  const gdcm::Tag transformation(0x0028, 0x9145);
  for (const gdcm::DataSet* group : {item_of(ds, gdcm::Tag(0x5200, 0x9230), frame), item_of(ds, gdcm::Tag(0x5200, 0x9229), 0)}) {
    const gdcm::DataSet* t = group ? item_of(*group, transformation, 0) : nullptr;
    if (t && read_rescale(*t, slope, intercept, repairs)) return;
  }
}

// The value of a top-level US element of the image pixel module, or -1 when it is absent or empty.
int read_us(const gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element) {
  const gdcm::Tag tag(group, element);
  if (!ds.FindDataElement(tag) || ds.GetDataElement(tag).IsEmpty()) return -1;
  const gdcm::ByteValue* bv = ds.GetDataElement(tag).GetByteValue();
  if (!bv || bv->GetLength() != 2) return -1;
  std::uint16_t v;
  std::memcpy(&v, bv->GetPointer(), 2);  // GDCM holds binary values in host (little-endian) order
  return v;
}

// Header repairs of the image pixel module: what GDCM filled in for a missing field, and the fields osgan reads
// otherwise than written. `pf` and `pi` are GDCM's view after decoding.
void pixel_module_repairs(const gdcm::DataSet& ds, const gdcm::PixelFormat& pf, const gdcm::PhotometricInterpretation& pi,
                          std::vector<HeaderRepair>& repairs) {
  if (!ds.FindDataElement(gdcm::Tag(0x0028, 0x0004)) || ds.GetDataElement(gdcm::Tag(0x0028, 0x0004)).IsEmpty())
    add_repair(repairs, {"(0028,0004) Photometric Interpretation", "(missing)",
                         "guessed " + trimmed(pi.GetString()) + " (GDCM's default)"});
  if (pf.GetSamplesPerPixel() > 1 && read_us(ds, 0x0028, 0x0006) < 0)
    add_repair(repairs, {"(0028,0006) Planar Configuration", "(missing)", "guessed 0 (samples interleaved)"});
  const int allocated = pf.GetBitsAllocated();
  const int stored = read_us(ds, 0x0028, 0x0101);
  if (stored <= 0 || stored > allocated)
    add_repair(repairs, {"(0028,0101) Bits Stored", stored < 0 ? "(missing)" : std::to_string(stored),
                         "repaired: all " + std::to_string(allocated) + " allocated bits of each sample are read"});
  const int high_bit = read_us(ds, 0x0028, 0x0102);
  const int used = stored > 0 && stored <= allocated ? stored : allocated;
  if (high_bit != used - 1 && pf.GetScalarType() != gdcm::PixelFormat::FLOAT32 &&
      pf.GetScalarType() != gdcm::PixelFormat::FLOAT64)
    add_repair(repairs, {"(0028,0102) High Bit", high_bit < 0 ? "(missing)" : std::to_string(high_bit),
                         "ignored: the low " + std::to_string(used) + " bits of each sample are read"});
  if (ds.FindDataElement(gdcm::Tag(0x0028, 0x3000)))
    add_repair(repairs, {"(0028,3000) Modality LUT Sequence", "present",
                         "ignored: the lookup table is not applied (only Rescale Slope/Intercept are)"});
}

// GDCM's part, run in the child process: read, check, decode; the selected frames' samples and rescale.
DecodedDicom decode_with_gdcm(const std::filesystem::path& path, const ReadOptions& options) {
  try {
    GdcmMessages messages;
    // PixmapReader, not ImageReader: the latter also derives spacing and orientation, and GDCM asserts
    // (aborts) inside that on some corrupt enhanced multi-frame headers. We need neither.
    gdcm::PixmapReader reader;
    reader.SetFileName(path.c_str());
    if (!reader.Read()) {
      const std::string why = messages.first_error();
      fail_read(ErrorCode::bad_format, path,
                "corrupt DICOM file or no image in it" + (why.empty() ? std::string() : " (GDCM: " + why + ")"));
    }
    if (messages.warned("Incomplete Pixel Data"))
      fail_read(ErrorCode::bad_format, path, "truncated DICOM: the pixel data is shorter than its declared length");
    const gdcm::Pixmap& image = reader.GetPixmap();
    const unsigned int* dims = image.GetDimensions();
    const std::uint64_t width = dims[0], height = dims[1];
    const std::uint64_t frames = image.GetNumberOfDimensions() >= 3 ? dims[2] : 1;
    check_pixel_count(path, width, height, frames, options.limits);

    check_compressed_frames(path, image, frames);
    // Native (uncompressed) pixel data: GDCM copies as many bytes as the dimensions need, whatever the element
    // holds (a fuzzed 24-byte element for 36 needed bytes read past its buffer).
    if (!image.GetDataElement().GetSequenceOfFragments()) {
      const gdcm::PixelFormat& stored = image.GetPixelFormat();
      const std::uint64_t needed = (width * height * frames * stored.GetSamplesPerPixel() * stored.GetBitsAllocated() + 7) / 8;
      const gdcm::ByteValue* bv = image.GetDataElement().GetByteValue();
      const std::uint64_t held = bv ? static_cast<std::uint64_t>(bv->GetLength()) : 0;
      if (held < needed)
        fail_read(ErrorCode::bad_format, path,
                  "truncated DICOM: the pixel data holds " + std::to_string(held) + " bytes, the header's dimensions need " +
                      std::to_string(needed));
    }
    const std::string ts_name = transfer_syntax_name(image.GetTransferSyntax());
    std::vector<char> buffer(image.GetBufferLength());
    if (buffer.empty() || !image.GetBuffer(buffer.data()))
      fail_read(ErrorCode::unsupported, path,
                "cannot decode the pixel data: transfer syntax " + ts_name + ", photometric " +
                    trimmed(image.GetPhotometricInterpretation().GetString()) +
                    " is not supported by this GDCM build; convert the file (e.g. gdcmconv --raw)");

    // The codec may change the pixel format and photometric interpretation while decoding: read them now.
    const gdcm::PixelFormat pf = image.GetPixelFormat();
    const gdcm::PhotometricInterpretation pi = image.GetPhotometricInterpretation();
    const int spp = pf.GetSamplesPerPixel();
    const int bits = pf.GetBitsAllocated();
    const bool mono = pi == gdcm::PhotometricInterpretation::MONOCHROME1 || pi == gdcm::PhotometricInterpretation::MONOCHROME2;
    const bool rgb = pi == gdcm::PhotometricInterpretation::RGB || pi == gdcm::PhotometricInterpretation::YBR_FULL;
    if (!((mono && spp == 1) || (rgb && spp == 3)))
      fail_read(ErrorCode::unsupported, path,
                "photometric interpretation " + trimmed(pi.GetString()) + " with " + std::to_string(spp) +
                    " samples per pixel is not supported (expected MONOCHROME1/2, RGB or YBR_FULL)");
    if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
      fail_read(ErrorCode::unsupported, path, std::to_string(bits) + "-bit DICOM samples are not supported");
    const std::size_t frame_bytes = static_cast<std::size_t>(width * height) * spp * static_cast<std::size_t>(bits / 8);
    if (buffer.size() < frame_bytes * frames)
      fail_read(ErrorCode::bad_format, path, "pixel data shorter than the header's dimensions");

    DecodedDicom d;
    d.width = width, d.height = height, d.frames = frames;
    d.samples_per_pixel = spp, d.bits_allocated = bits, d.bits_stored = pf.GetBitsStored();
    d.is_signed = pf.GetPixelRepresentation() == 1;
    d.scalar = pf.GetScalarType() == gdcm::PixelFormat::FLOAT32   ? DecodedDicom::float32
               : pf.GetScalarType() == gdcm::PixelFormat::FLOAT64 ? DecodedDicom::float64
                                                                  : DecodedDicom::integer;
    d.photometric = pi == gdcm::PhotometricInterpretation::MONOCHROME1   ? DecodedDicom::monochrome1
                    : pi == gdcm::PhotometricInterpretation::MONOCHROME2 ? DecodedDicom::monochrome2
                    : pi == gdcm::PhotometricInterpretation::RGB         ? DecodedDicom::rgb
                                                                         : DecodedDicom::ybr_full;
    d.planar = spp == 3 && image.GetPlanarConfiguration() == 1;
    const gdcm::DataSet& ds = reader.GetFile().GetDataSet();
    std::vector<HeaderRepair> repairs;
    pixel_module_repairs(ds, pf, pi, repairs);
    for (int f : select_slices(path, static_cast<int>(frames), options.slices)) {
      double slope = 1.0, intercept = 0.0;
      rescale_for_frame(ds, static_cast<std::size_t>(f), slope, intercept, repairs);
      d.selected.push_back(f);
      d.slope.push_back(slope);
      d.intercept.push_back(intercept);
      const char* frame = buffer.data() + static_cast<std::size_t>(f) * frame_bytes;
      d.samples.insert(d.samples.end(), frame, frame + frame_bytes);
    }
    d.repairs = repairs_to_text(repairs);
    return d;
  } catch (const osgan::Error&) {
    throw;
  } catch (const std::exception& e) {
    fail_read(ErrorCode::bad_format, path, std::string("corrupt DICOM file (GDCM: ") + e.what() + ")");
  }
}

}  // namespace

ImageFile read_dicom_file(const std::filesystem::path& path, const ReadOptions& options) {
  check_dicom_structure(path);  // before GDCM, which aborts on some truncated headers
  DecodedDicom d;
  try {
    d = from_bytes(call_isolated(path, "GDCM", [&] { return to_bytes(decode_with_gdcm(path, options)); }));
  } catch (const std::length_error&) {
    fail_read(ErrorCode::bad_format, path, "the GDCM decoder process sent a short result");
  }
  const int spp = d.samples_per_pixel;
  const std::size_t bytes = static_cast<std::size_t>(d.bits_allocated / 8);
  const std::size_t frame_pixels = static_cast<std::size_t>(d.width * d.height);
  if (d.slope.size() != d.selected.size() || d.intercept.size() != d.selected.size() ||
      d.samples.size() != d.selected.size() * frame_pixels * spp * bytes)
    fail_read(ErrorCode::bad_format, path, "the GDCM decoder process sent an inconsistent result");

  std::vector<HeaderRepair> repairs = repairs_from_text(path, d.repairs);
  // A Bits Stored of 0 or past Bits Allocated (a repair the GDCM side reported) reads every allocated bit.
  if (d.bits_stored <= 0 || d.bits_stored > d.bits_allocated) d.bits_stored = d.bits_allocated;
  // MONOCHROME1 is inverted within the stored range from BitsStored and signedness; float data has none.
  const bool invert = d.photometric == DecodedDicom::monochrome1;
  const bool is_float = d.scalar != DecodedDicom::integer;
  const int stored_bits = std::min<int>(d.bits_stored, 63);
  const double smin = is_float ? 0.0 : d.is_signed ? -std::ldexp(1.0, stored_bits - 1) : 0.0;
  const double smax = is_float ? 0.0 : smin + std::ldexp(1.0, stored_bits) - 1.0;
  const bool planar = d.planar != 0;
  // YBR_FULL's first component is already BT.601 luma.
  const bool ybr = d.photometric == DecodedDicom::ybr_full;

  ImageFile file;
  file.info.format = "dicom";
  file.info.bits_per_sample = d.bits_stored;
  file.info.channels = spp;
  file.info.channel_mode = channel_mode_name(spp);
  file.info.width = static_cast<int>(d.width);
  file.info.height = static_cast<int>(d.height);
  file.info.frames = static_cast<int>(d.frames);
  file.info.repairs = std::move(repairs);
  const auto* base = reinterpret_cast<const unsigned char*>(d.samples.data());
  for (std::size_t k = 0; k < d.selected.size(); ++k) {
    const unsigned char* frame = base + k * frame_pixels * spp * bytes;
    Image out(static_cast<int>(d.height), static_cast<int>(d.width));
    for (std::size_t i = 0; i < frame_pixels; ++i) {
      double v;
      if (spp == 1) {
        v = stored_sample(frame + i * bytes, d);
        if (invert) v = smin + smax - v;
      } else {
        auto sample = [&](int c) {
          const std::size_t at = planar ? c * frame_pixels + i : i * 3 + c;
          return stored_sample(frame + at * bytes, d);
        };
        v = ybr ? sample(0) : luma_bt601(sample(0), sample(1), sample(2));
      }
      out.pixels[i] = static_cast<float>(v * d.slope[k] + d.intercept[k]);
    }
    file.slices.push_back(Slice{std::move(out), d.selected[k]});
  }
  return file;
}

}  // namespace osgan::io::detail
