// Checks shared by the header-repair tests: a file whose header osgan has to ignore, repair or guess must be refused
// by a strict read (bad_format, naming the file and the field) and read otherwise, with the repair recorded in
// ImageInfo::repairs and one warning naming the file and the field.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>

#include "osgan/core/error.h"
#include "osgan/io/image.h"
#include "unit/io/io_fixtures.h"

namespace osgan::test {

inline std::string repair_fields(const io::ImageFile& file) {
  std::string fields;
  for (const auto& r : file.info.repairs) fields += "[" + r.field + " = " + r.value + ": " + r.action + "] ";
  return fields;
}

inline bool has_repair(const io::ImageFile& file, const std::string& field) {
  return std::any_of(file.info.repairs.begin(), file.info.repairs.end(),
                     [&](const io::HeaderRepair& r) { return r.field == field; });
}

// Strict: refused, naming the file and `field`. Lenient: read, `field` among the repairs, one warning naming both.
// Returns the lenient read.
inline io::ImageFile expect_repair(const std::filesystem::path& path, const std::string& field) {
  io::ReadOptions strict;
  strict.strict = true;
  try {
    io::read_image_file(path, strict);
    ADD_FAILURE() << path << ": a strict read accepted a header with " << field;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.code(), ErrorCode::bad_format) << message;
    EXPECT_NE(message.find(path.filename().string()), std::string::npos) << message;
    EXPECT_NE(message.find(field), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  testing::internal::CaptureStderr();
  io::ImageFile file;
  try {
    file = io::read_image_file(path);
  } catch (const Error& e) {
    testing::internal::GetCapturedStderr();
    ADD_FAILURE() << path << ": a lenient read failed: " << e.what();
    return file;
  }
  const std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(has_repair(file, field)) << path << " records " << repair_fields(file);
  EXPECT_EQ(std::count(printed.begin(), printed.end(), '\n'), 1) << printed;
  EXPECT_EQ(printed.rfind("warning: ", 0), 0u) << printed;
  EXPECT_NE(printed.find(path.filename().string()), std::string::npos) << printed;
  EXPECT_NE(printed.find(field), std::string::npos) << printed;
  return file;
}

// A file whose header osgan takes as written: a strict read succeeds and records no repair.
inline void expect_clean(const std::filesystem::path& path) {
  io::ReadOptions strict;
  strict.strict = true;
  try {
    const auto file = io::read_image_file(path, strict);
    EXPECT_TRUE(file.info.repairs.empty()) << path << ": " << repair_fields(file);
  } catch (const Error& e) {
    ADD_FAILURE() << path << ": a strict read refused a well-formed file: " << e.what();
  }
}

// Overwrites sizeof(T) bytes of the file at `at` with `value` (host order: little-endian, like the fixtures).
template <typename T>
void patch_file(const std::filesystem::path& path, std::size_t at, T value) {
  auto bytes = read_bytes(path);
  ASSERT_LE(at + sizeof value, bytes.size());
  std::memcpy(bytes.data() + at, &value, sizeof value);
  write_bytes(path, bytes);
}

}  // namespace osgan::test
