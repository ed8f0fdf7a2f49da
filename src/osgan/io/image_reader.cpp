// read_image_file: checks the file (exists, regular, size limit), asks detect_format what the content is,
// and hands it to the matching reader. Every failure is one osgan::Error line naming the file. The header
// repairs a reader recorded are reported here, in one place: a warning, or an error under ReadOptions::strict.
#include <new>

#include "osgan/io/image.h"
#include "osgan/io/reader_common.h"

namespace osgan::io {

namespace {

ImageFile read_by_content(const std::filesystem::path& path, const ReadOptions& options) {
  detail::check_regular_file(path, options.limits);
  const std::string format = detect_format(path);
  if (format == "png") return detail::read_png_file(path, options);
  if (format == "jpeg") return detail::read_jpeg_file(path, options);
  if (format == "bmp") return detail::read_bmp_file(path, options);
  if (format == "tiff") return detail::read_tiff_file(path, options);
  if (format == "dicom") return detail::read_dicom_file(path, options);
  if (format == "nifti" || format == "nifti.gz") return detail::read_nifti_file(path, format == "nifti.gz", options);
  detail::fail_read(ErrorCode::unsupported, path,
                    "content is not a supported image: expected PNG, JPEG, BMP, TIFF, DICOM (with the DICM "
                    "preamble) or NIfTI (.nii, .nii.gz); the format is judged by content, not by the name");
}

}  // namespace

ImageFile read_image_file(const std::filesystem::path& path, const ReadOptions& options) {
  // The readers throw osgan::Error themselves; this net turns anything a library lets escape into one.
  try {
    ImageFile file = read_by_content(path, options);
    detail::report_repairs(path, file.info.repairs, options.strict);
    return file;
  } catch (const osgan::Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    detail::fail_read(ErrorCode::io, path, "out of memory while decoding");
  } catch (const std::exception& e) {
    detail::fail_read(ErrorCode::bad_format, path, std::string("unexpected library error: ") + e.what());
  }
}

}  // namespace osgan::io
