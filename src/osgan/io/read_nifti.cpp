// NIfTI-1/2 volumes (.nii, .nii.gz) through nifti2 (the only NIfTI library in the process). The header is
// read and checked against the limits before any voxel is loaded. Volumes are cut into 2D slices along
// ReadOptions::axis in voxel-index order (no reorientation by qform/sform); for 4D+ files only the first
// volume is used. scl_slope/scl_inter are applied when set (slope != 0); RGB voxels become BT.601 luma.
#include <nifti2_io.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <climits>
#include <cstring>
#include <memory>
#include <mutex>

#include "osgan/core/log.h"
#include "osgan/io/reader_common.h"

namespace osgan::io::detail {

namespace {

struct NiftiFree {
  void operator()(nifti_image* nim) const { nifti_image_free(nim); }
};

void silence_nifti() {
  static std::once_flag once;
  std::call_once(once, [] { nifti_set_debug_level(0); });
}

bool ends_with(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                    [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

template <typename T>
float load_as(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return static_cast<float>(v);
}

// Voxel `i` (linear index) as float; RGB(A) voxels to grey as in to_grey.
float voxel(const unsigned char* data, int datatype, std::size_t i) {
  switch (datatype) {
    case DT_UINT8: return data[i];
    case DT_INT8: return load_as<std::int8_t>(data + i);
    case DT_INT16: return load_as<std::int16_t>(data + 2 * i);
    case DT_UINT16: return load_as<std::uint16_t>(data + 2 * i);
    case DT_INT32: return load_as<std::int32_t>(data + 4 * i);
    case DT_UINT32: return load_as<std::uint32_t>(data + 4 * i);
    case DT_INT64: return load_as<std::int64_t>(data + 8 * i);
    case DT_UINT64: return load_as<std::uint64_t>(data + 8 * i);
    case DT_FLOAT32: return load_as<float>(data + 4 * i);
    case DT_FLOAT64: return load_as<double>(data + 8 * i);
    case DT_RGB24: {
      const unsigned char* p = data + 3 * i;
      const float px[3] = {float(p[0]), float(p[1]), float(p[2])};
      return to_grey(px, 3, 255.f);
    }
    default: {  // DT_RGBA32
      const unsigned char* p = data + 4 * i;
      const float px[4] = {float(p[0]), float(p[1]), float(p[2]), float(p[3])};
      return to_grey(px, 4, 255.f);
    }
  }
}

bool supported_datatype(int dt) {
  switch (dt) {
    case DT_UINT8: case DT_INT8: case DT_INT16: case DT_UINT16: case DT_INT32: case DT_UINT32:
    case DT_INT64: case DT_UINT64: case DT_FLOAT32: case DT_FLOAT64: case DT_RGB24: case DT_RGBA32:
      return true;
    default:
      return false;
  }
}

// nifti2 prints some header complaints to stderr whatever its debug level ("bad datatype", "bad dim[0]"),
// so the fields it would complain about are checked here first, from the raw (inflated) header bytes.
void check_raw_header(const std::filesystem::path& path, bool gzipped) {
  std::vector<unsigned char> h(540);
  std::size_t got = 0;
  if (gzipped) {
    gzFile gz = gzopen(path.c_str(), "rb");
    if (!gz) fail_read(ErrorCode::io, path, "cannot open the gzip stream");
    const int n = gzread(gz, h.data(), static_cast<unsigned>(h.size()));
    gzclose(gz);
    got = n > 0 ? static_cast<std::size_t>(n) : 0;
  } else {
    h = read_file_head(path, 540);
    got = h.size();
  }
  std::int32_t size = 0;
  if (got >= 4) std::memcpy(&size, h.data(), 4);
  const bool swap = size != 348 && size != 540;
  if (swap) size = static_cast<std::int32_t>(__builtin_bswap32(static_cast<std::uint32_t>(size)));
  const bool v2 = size == 540;
  if ((size != 348 && size != 540) || got < static_cast<std::size_t>(size))
    fail_read(ErrorCode::bad_format, path, "truncated or corrupt NIfTI header");
  auto i16 = [&](std::size_t at) {
    std::uint16_t v;
    std::memcpy(&v, h.data() + at, 2);
    return static_cast<std::int16_t>(swap ? __builtin_bswap16(v) : v);
  };
  auto i64 = [&](std::size_t at) {
    std::uint64_t v;
    std::memcpy(&v, h.data() + at, 8);
    return static_cast<std::int64_t>(swap ? __builtin_bswap64(v) : v);
  };
  const int datatype = v2 ? i16(12) : i16(70);
  auto dim = [&](int i) { return v2 ? i64(16 + 8 * static_cast<std::size_t>(i)) : std::int64_t(i16(40 + 2 * static_cast<std::size_t>(i))); };
  const std::int64_t ndim = dim(0);
  if (ndim < 1 || ndim > 7)
    fail_read(ErrorCode::bad_format, path, "NIfTI header gives dim[0] = " + std::to_string(ndim) + ", expected 1 to 7");
  for (int i = 1; i <= ndim; ++i)
    if (dim(i) < 1)
      fail_read(ErrorCode::bad_format, path, "NIfTI header dimension " + std::to_string(i) + " is " + std::to_string(dim(i)));
  if (!supported_datatype(datatype))
    fail_read(ErrorCode::unsupported, path, "NIfTI datatype code " + std::to_string(datatype) +
                                                " is not supported (integers, float32/64, RGB24, RGBA32 are)");
}

}  // namespace

ImageFile read_nifti_file(const std::filesystem::path& path, bool gzipped, const ReadOptions& options) {
  silence_nifti();
  // nifti2 picks the header file and decompression from the name, so the name must agree with the content.
  const std::string name = path.filename().string();
  if (gzipped ? !ends_with(name, ".nii.gz") : !(ends_with(name, ".nii") || ends_with(name, ".nii.gz")))
    fail_read(ErrorCode::unsupported, path,
              std::string(gzipped ? "gzip-compressed NIfTI" : "NIfTI") + " content, but the name does not end in " +
                  (gzipped ? ".nii.gz" : ".nii or .nii.gz") + "; rename the file");

  check_raw_header(path, gzipped);
  // Header only (read_data = 0): check the dimensions before anything large is allocated.
  std::unique_ptr<nifti_image, NiftiFree> nim(nifti_image_read(path.c_str(), 0));
  if (!nim) fail_read(ErrorCode::bad_format, path, "corrupt NIfTI header");
  if (nim->ndim < 2 || nim->ndim > 7)
    fail_read(ErrorCode::bad_format, path, "NIfTI header gives " + std::to_string(nim->ndim) + " dimensions, expected 2 to 7");
  std::string dims_text;
  std::uint64_t total = 1;
  for (int d = 1; d <= nim->ndim; ++d) {
    const std::int64_t n = nim->dim[d];
    dims_text += (d > 1 ? "x" : "") + std::to_string(n);
    if (n < 1 || n > INT32_MAX)
      fail_read(ErrorCode::bad_format, path, "NIfTI header dimension " + std::to_string(d) + " is " + std::to_string(n));
    if (__builtin_mul_overflow(total, static_cast<std::uint64_t>(n), &total) || total > options.limits.max_pixels)
      fail_read(ErrorCode::bad_format, path,
                "NIfTI header dimensions " + dims_text + (d < nim->ndim ? "x..." : "") + " exceed the limit of " +
                    std::to_string(options.limits.max_pixels) +
                    " voxels; the file is corrupt or hostile, or raise ReadLimits::max_pixels");
  }
  if (!supported_datatype(nim->datatype))
    fail_read(ErrorCode::unsupported, path, std::string("NIfTI datatype ") + nifti_datatype_string(nim->datatype) +
                                                " is not supported (integers, float32/64, RGB24, RGBA32 are)");
  const std::int64_t nx = nim->nx, ny = std::max<std::int64_t>(nim->ny, 1), nz = nim->ndim >= 3 ? std::max<std::int64_t>(nim->nz, 1) : 1;
  if (!gzipped) {
    // An uncompressed file must hold all the voxels the header promises.
    const std::uint64_t need = static_cast<std::uint64_t>(nim->iname_offset) + total * static_cast<std::uint64_t>(nim->nbyper);
    std::error_code ec;
    const std::uint64_t have = std::filesystem::file_size(path, ec);
    if (ec) fail_read(ErrorCode::io, path, ec.message());
    if (have < need)
      fail_read(ErrorCode::bad_format, path,
                "truncated NIfTI: the header promises " + std::to_string(need) + " bytes, the file has " + std::to_string(have));
  }
  if (nifti_image_load(nim.get()) != 0 || !nim->data)
    fail_read(ErrorCode::bad_format, path, "truncated or corrupt NIfTI voxel data");
  if (total > static_cast<std::uint64_t>(nx * ny * nz))
    log_verbose("read_image_file: \"" + path.string() + "\" is " + dims_text + "; using the first volume only");

  // Slice plane per axis: axial = (x, y) at each z; coronal = (x, z) at each y; sagittal = (y, z) at each x.
  // Rows run along the second in-plane axis, columns along the first, in voxel-index order.
  std::int64_t count = nz, width = nx, height = ny;
  std::int64_t step_slice = nx * ny, step_col = 1, step_row = nx;
  if (options.axis == SliceAxis::coronal) {
    count = ny, width = nx, height = nz, step_slice = nx, step_col = 1, step_row = nx * ny;
  } else if (options.axis == SliceAxis::sagittal) {
    count = nx, width = ny, height = nz, step_slice = 1, step_col = nx, step_row = nx * ny;
  }
  const bool rgb = nim->datatype == DT_RGB24 || nim->datatype == DT_RGBA32;
  const double slope = nim->scl_slope, inter = nim->scl_inter;
  const bool scale = !rgb && slope != 0.0 && std::isfinite(slope) && std::isfinite(inter) && !(slope == 1.0 && inter == 0.0);

  ImageFile file;
  file.info.format = "nifti";
  file.info.bits_per_sample = rgb ? 8 : nim->nbyper * 8;
  file.info.channels = nim->datatype == DT_RGB24 ? 3 : nim->datatype == DT_RGBA32 ? 4 : 1;
  file.info.channel_mode = channel_mode_name(file.info.channels);
  file.info.width = static_cast<int>(width);
  file.info.height = static_cast<int>(height);
  file.info.frames = static_cast<int>(count);
  const auto* data = static_cast<const unsigned char*>(nim->data);
  for (int s : select_slices(path, static_cast<int>(count), options.slices)) {
    Image image(static_cast<int>(height), static_cast<int>(width));
    for (std::int64_t r = 0; r < height; ++r)
      for (std::int64_t c = 0; c < width; ++c) {
        const auto i = static_cast<std::size_t>(s * step_slice + r * step_row + c * step_col);
        const float v = voxel(data, nim->datatype, i);
        image.at(static_cast<int>(r), static_cast<int>(c)) = scale ? static_cast<float>(v * slope + inter) : v;
      }
    file.slices.push_back(Slice{std::move(image), s});
  }
  return file;
}

}  // namespace osgan::io::detail
