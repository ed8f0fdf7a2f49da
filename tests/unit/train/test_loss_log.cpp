// The loss and quality logs: a run resumed by an osgan that logs more names must not shift values between columns.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "osgan/core/atomic_file.h"
#include "osgan/train/loss_log.h"

namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("osgan_loss_log_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}
}  // namespace

TEST(LossLog, ResumedWithANewNameAddsAColumnAndKeepsOldValuesInPlace) {
  const auto path = fresh_dir("new_name") / "quality.csv";
  {
    osgan::LossLog log(path);
    log.add(1, {{"kid", 0.5}, {"precision", 0.25}});
    log.add(2, {{"kid", 0.4}, {"precision", 0.5}});
    log.write();
  }
  osgan::LossLog log(path);
  log.load_up_to(2);
  log.add(3, {{"coverage", 0.75}, {"kid", 0.3}, {"precision", 1}});  // "coverage" sorts first, yet goes last
  log.write();
  EXPECT_EQ(osgan::read_text_file(path), "step,kid,precision,coverage\n1,0.5,0.25,\n2,0.4,0.5,\n3,0.3,1,0.75\n");
}

TEST(LossLog, ANameMissingFromARowIsLeftEmpty) {
  const auto path = fresh_dir("missing_name") / "losses.csv";
  osgan::LossLog log(path);
  log.add(1, {{"a", 1}, {"b", 2}});
  log.add(2, {{"b", 3}});
  log.write();
  EXPECT_EQ(osgan::read_text_file(path), "step,a,b\n1,1,2\n2,,3\n");
}
