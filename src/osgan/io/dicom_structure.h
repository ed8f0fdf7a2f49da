// A structural pre-check of DICOM files, run before GDCM sees them: Debian's GDCM aborts (assert) on
// files truncated inside the header or data set. This walks element headers only (tags, VRs, lengths,
// sequence items) and never decodes values; it is not a DICOM parser. Internal to the io readers.
// It is stricter than GDCM: files with unknown VRs (corrupt, or a rare explicit/implicit mix) are refused.
#pragma once
#include <filesystem>

namespace osgan::io::detail {

// Throws bad_format naming the file when an element, item or sequence runs past the end of the file, a VR
// is unknown, a delimiter is misplaced, or sequences nest absurdly deep. Deflated data sets pass unchecked.
void check_dicom_structure(const std::filesystem::path& path);

}  // namespace osgan::io::detail
