#include "osgan/core/confined_path.h"

#include <algorithm>

#include "osgan/core/error.h"

namespace osgan {

bool is_plain_path_component(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '/' || c == '\\' || u < 32 || u == 127;
  });
}

std::filesystem::path confined_child(const std::filesystem::path& folder, const std::string& name, const std::string& what) {
  if (!is_plain_path_component(name))
    fail(ErrorCode::invalid_argument, what + " \"" + name + "\" cannot name a file or folder inside " + folder.string() +
         ": expected one plain name (not empty, \".\" or \"..\", no '/', '\\' or control characters). Hint: rename it "
         "in the dataset (class subfolder or CSV label).");
  return folder / name;
}

}  // namespace osgan
