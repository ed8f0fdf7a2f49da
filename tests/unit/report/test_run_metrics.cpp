#include <gtest/gtest.h>

#include "osgan/core/atomic_file.h"
#include "osgan/core/error.h"
#include "osgan/report/run_metrics.h"
#include "support/test_support.h"

using namespace osgan::report;
using osgan::test::ScratchDir;

namespace {
std::string error_of(const std::filesystem::path& path) {
  try {
    load_run_metrics(path);
  } catch (const osgan::Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(RunMetrics, LoadsAnObject) {
  ScratchDir dir("metrics");
  osgan::write_text_atomically(dir / "metrics.json", R"({"format": "osgan.metrics", "version": 1, "dataset": {"classes": {"a": 3}}})");
  EXPECT_EQ(load_run_metrics(dir / "metrics.json")["dataset"]["classes"]["a"], 3);
}

TEST(RunMetrics, SyntaxErrorNamesFileAndLineOnOneLine) {
  ScratchDir dir("metrics");
  osgan::write_text_atomically(dir / "metrics.json", "{\n  \"a\": 1,\n  \"b\": \n}\n");
  const std::string message = error_of(dir / "metrics.json");
  EXPECT_NE(message.find("metrics.json"), std::string::npos) << message;
  EXPECT_NE(message.find("at 4:"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(RunMetrics, RejectsNonObjectsOtherFormatsAndMissingFiles) {
  ScratchDir dir("metrics");
  osgan::write_text_atomically(dir / "list.json", "[1, 2]");
  EXPECT_NE(error_of(dir / "list.json").find("JSON object"), std::string::npos);
  osgan::write_text_atomically(dir / "other.json", R"({"format": "something.else"})");
  EXPECT_NE(error_of(dir / "other.json").find("something.else"), std::string::npos);
  EXPECT_NE(error_of(dir / "none.json").find("none.json"), std::string::npos);
  osgan::write_text_atomically(dir / "empty.json", "");
  EXPECT_NE(error_of(dir / "empty.json").find("not valid JSON"), std::string::npos);
}
