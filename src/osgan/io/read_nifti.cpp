// NIfTI-1/2 volumes (.nii, .nii.gz) through nifti2 (the only NIfTI library in the process). The header is
// read and checked against the limits before any voxel is loaded. Volumes are cut into 2D slices along
// ReadOptions::axis in voxel-index order (no reorientation by qform/sform); for 4D+ files only the first
// volume is used. scl_slope/scl_inter are applied when set (slope != 0); RGB voxels become BT.601 luma. The
// fields osgan (or nifti2) cannot take as written are reported as header repairs (nifti_repairs), and so are NaN or
// infinite float voxels, which become 0. nifti2 reads the header; the voxels are read here, from this file.
#include <nifti2_io.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <climits>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

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

// The header fields osgan checks itself, as the file holds them: nifti2 replaces a scaling that is not finite by
// 0 and a vox_offset inside the header by the header's size without a word, so they are read from the raw bytes.
struct RawNiftiHeader {
  bool v2 = false;
  int datatype = 0, bitpix = 0;
  std::int64_t dim[8] = {};
  double vox_offset = 0, scl_slope = 0, scl_inter = 0;
};

// nifti2 prints some header complaints to stderr whatever its debug level ("bad datatype", "bad dim[0]"),
// so the fields it would complain about are checked here first, from the raw (inflated) header bytes.
RawNiftiHeader read_raw_header(const std::filesystem::path& path, bool gzipped) {
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
  RawNiftiHeader raw;
  raw.v2 = size == 540;
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
  auto f32 = [&](std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, h.data() + at, 4);
    if (swap) v = __builtin_bswap32(v);
    float f;
    std::memcpy(&f, &v, 4);
    return static_cast<double>(f);
  };
  auto f64 = [&](std::size_t at) {
    const std::int64_t v = i64(at);
    double d;
    std::memcpy(&d, &v, 8);
    return d;
  };
  // Offsets from nifti1.h and nifti2.h.
  raw.datatype = raw.v2 ? i16(12) : i16(70);
  raw.bitpix = raw.v2 ? i16(14) : i16(72);
  for (std::size_t i = 0; i < 8; ++i) raw.dim[i] = raw.v2 ? i64(16 + 8 * i) : std::int64_t(i16(40 + 2 * i));
  raw.vox_offset = raw.v2 ? static_cast<double>(i64(168)) : f32(108);
  raw.scl_slope = raw.v2 ? f64(176) : f32(112);
  raw.scl_inter = raw.v2 ? f64(184) : f32(116);

  const std::int64_t ndim = raw.dim[0];
  if (ndim < 1 || ndim > 7)
    fail_read(ErrorCode::bad_format, path, "NIfTI header gives dim[0] = " + std::to_string(ndim) + ", expected 1 to 7");
  for (int i = 1; i <= ndim; ++i)
    if (raw.dim[i] < 1)
      fail_read(ErrorCode::bad_format, path, "NIfTI header dimension " + std::to_string(i) + " is " + std::to_string(raw.dim[i]));
  if (!supported_datatype(raw.datatype))
    fail_read(ErrorCode::unsupported, path, "NIfTI datatype code " + std::to_string(raw.datatype) +
                                                " is not supported (integers, float32/64, RGB24, RGBA32 are)");
  return raw;
}

std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// The header fields osgan cannot take as written (see ImageInfo::repairs), and what reading the file does instead.
// `nbyper` is the voxel size in bytes that nifti2 derives from the datatype.
std::vector<HeaderRepair> nifti_repairs(const RawNiftiHeader& raw, int nbyper) {
  std::vector<HeaderRepair> repairs;
  const double slope = raw.scl_slope, inter = raw.scl_inter;
  const bool rgb = raw.datatype == DT_RGB24 || raw.datatype == DT_RGBA32;
  if (!std::isfinite(slope)) {
    repairs.push_back({"scl_slope", number_text(slope), "ignored with scl_inter: no intensity scaling applied"});
  } else if (slope != 0.0 && !std::isfinite(inter)) {
    repairs.push_back({"scl_inter", number_text(inter), "read as 0: voxels scaled by scl_slope alone"});
  } else if (rgb && slope != 0.0 && !(slope == 1.0 && inter == 0.0)) {
    repairs.push_back({"scl_slope", number_text(slope) + " (scl_inter " + number_text(inter) + ")",
                       "ignored: NIfTI does not scale RGB voxels"});
  }
  if (raw.bitpix != nbyper * 8)
    repairs.push_back({"bitpix", std::to_string(raw.bitpix),
                       "ignored: datatype " + std::string(nifti_datatype_string(raw.datatype)) + " has " +
                           std::to_string(nbyper * 8) + " bits per voxel, and the datatype decides"});
  // nifti2 reads the voxels from max(vox_offset, header size); a NIfTI-1 offset (a float) is cast to int first.
  const double header_bytes = raw.v2 ? 540 : 348;
  if (!(raw.vox_offset >= header_bytes) || (!raw.v2 && raw.vox_offset >= 2147483648.0))
    repairs.push_back({"vox_offset", number_text(raw.vox_offset),
                       "repaired: voxels read from byte " + number_text(header_bytes) + ", just after the header"});
  else if (raw.vox_offset != std::floor(raw.vox_offset))
    repairs.push_back({"vox_offset", number_text(raw.vox_offset),
                       "repaired: voxels read from byte " + number_text(std::floor(raw.vox_offset))});
  for (int d = 4; d <= raw.dim[0]; ++d)
    if (raw.dim[d] > 1)
      repairs.push_back({"dim[" + std::to_string(d) + "]", std::to_string(raw.dim[d]),
                         "ignored beyond its first entry: only the first 3D volume is read"});
  return repairs;
}

// The voxels of the first volume (`count` voxels from iname_offset), byte-swapped to this machine's order. Read from
// `path` itself (zlib for .nii.gz), never from a file nifti2 would pick by name.
std::vector<unsigned char> read_first_volume(const std::filesystem::path& path, bool gzipped, const nifti_image& nim,
                                             std::int64_t count) {
  const auto bytes = static_cast<std::size_t>(count) * static_cast<std::size_t>(nim.nbyper);
  std::vector<unsigned char> voxels(bytes);
  std::size_t got = 0;
  if (gzipped) {
    gzFile gz = gzopen(path.c_str(), "rb");
    if (!gz) fail_read(ErrorCode::io, path, "cannot open the gzip stream");
    if (gzseek(gz, static_cast<z_off_t>(nim.iname_offset), SEEK_SET) == nim.iname_offset) {
      while (got < bytes) {
        const int n = gzread(gz, voxels.data() + got, static_cast<unsigned>(std::min<std::size_t>(bytes - got, 1u << 30)));
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
      }
    }
    gzclose(gz);
  } else {
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(nim.iname_offset));
    in.read(reinterpret_cast<char*>(voxels.data()), static_cast<std::streamsize>(bytes));
    got = static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0));
  }
  if (got < bytes) fail_read(ErrorCode::bad_format, path, "truncated or corrupt NIfTI voxel data");
  if (nim.swapsize > 1 && nim.byteorder != nifti_short_order())
    nifti_swap_Nbytes(count * nim.nbyper / nim.swapsize, nim.swapsize, voxels.data());
  return voxels;
}

// Sets NaN and infinite float voxels to 0, as nifti2's loader did; returns how many there were.
std::int64_t zero_non_finite(std::vector<unsigned char>& voxels, int datatype) {
  std::int64_t count = 0;
  const auto zero = [&](auto sample) {
    for (std::size_t at = 0; at + sizeof sample <= voxels.size(); at += sizeof sample) {
      std::memcpy(&sample, voxels.data() + at, sizeof sample);
      if (std::isfinite(sample)) continue;
      sample = 0;
      std::memcpy(voxels.data() + at, &sample, sizeof sample);
      ++count;
    }
  };
  if (datatype == DT_FLOAT32) zero(float{});
  if (datatype == DT_FLOAT64) zero(double{});
  return count;
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

  const RawNiftiHeader raw = read_raw_header(path, gzipped);
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
  // The first volume's voxels, from this file: nifti_image_load would look for them by base name, ".nii" before
  // ".nii.gz", and read "a.nii.gz" with the voxels of an "a.nii" beside it.
  std::vector<unsigned char> voxels = read_first_volume(path, gzipped, *nim, nx * ny * nz);
  const std::int64_t non_finite = zero_non_finite(voxels, nim->datatype);

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
  // nifti2 has replaced a scaling that is not finite by 0 (nifti_repairs reports it).
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
  file.info.repairs = nifti_repairs(raw, nim->nbyper);
  if (non_finite > 0)
    file.info.repairs.push_back({"voxel data", std::to_string(non_finite) + " NaN or infinite value(s)", "set to 0"});
  const auto* data = voxels.data();
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
