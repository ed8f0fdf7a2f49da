#include "osgan/core/remove_tree.h"

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace osgan {
namespace {

int remove_entry(const char* path, const struct stat*, int type, struct FTW*) {
  const int rc = (type == FTW_DP) ? ::rmdir(path) : ::unlink(path);
  return rc == 0 ? 0 : errno;
}

}  // namespace

bool remove_tree(const std::filesystem::path& path, std::string* error) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT;
  // FTW_DEPTH: children before their folder; FTW_PHYS: never follow symlinks (a link to / must not empty /).
  const int rc = ::nftw(path.c_str(), remove_entry, 32, FTW_DEPTH | FTW_PHYS);
  if (rc != 0 && error) *error = "cannot remove \"" + path.string() + "\" (" + std::strerror(rc > 0 ? rc : errno) + ")";
  return rc == 0;
}

}  // namespace osgan
