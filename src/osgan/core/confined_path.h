// Output paths named from inputs (a class name from a folder or a CSV label, a stage name) must stay inside the
// output folder the user chose: "../x", "/etc", "a/b" or "" as a class name would otherwise write, or remove,
// files elsewhere. Torch-free.
#pragma once
#include <filesystem>
#include <string>

namespace osgan {

// folder / name, where name must be one ordinary path component: not empty, not "." or "..", no '/' or '\\',
// no control characters. Otherwise throws osgan::Error(invalid_argument) naming `what` (e.g. "class name"), the
// name and the folder.
std::filesystem::path confined_child(const std::filesystem::path& folder, const std::string& name, const std::string& what);

// Whether `name` is such a component.
bool is_plain_path_component(const std::string& name);

}  // namespace osgan
