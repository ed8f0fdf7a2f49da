// The queue of child processes behind the pipeline's GANs and study classifiers (pipeline/child_jobs.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "osgan/core/atomic_file.h"
#include "osgan/pipeline/child_jobs.h"
#include "osgan/train/interrupt.h"

namespace fs = std::filesystem;
using osgan::ChildJob;
using osgan::ChildJobState;

namespace {

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / name;
  fs::remove_all(dir);
  return dir;
}

ChildJob shell_job(const std::string& label, const std::string& script, const fs::path& log) {
  return {label, {"/bin/sh", "-c", script}, log};
}

}  // namespace

TEST(ChildJobs, RunsEveryJobInOrderAtMostNAtATimeAndReturnsEachExitStatus) {
  const auto dir = fresh_dir("osgan_child_jobs_order");
  std::vector<ChildJob> jobs;
  for (int k = 0; k < 5; ++k)  // each log one folder deeper than any that exists: the queue creates it
    jobs.push_back(shell_job("job " + std::to_string(k), "sleep 0.2; echo job " + std::to_string(k) + " ran; exit " +
                             std::to_string(k), dir / ("job" + std::to_string(k)) / "train.log"));
  std::size_t most_running = 0, ticks = 0;
  bool out_of_order = false;
  const auto codes = osgan::run_child_jobs(jobs, 2, [&](const std::vector<ChildJobState>& states) {
    ++ticks;
    most_running = std::max<std::size_t>(
        most_running, std::count(states.begin(), states.end(), ChildJobState::running));
    for (std::size_t i = 1; i < states.size(); ++i)  // a job starts only once every job before it has
      out_of_order |= states[i] != ChildJobState::queued && states[i - 1] == ChildJobState::queued;
  });
  EXPECT_EQ(codes, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(most_running, 2u);
  EXPECT_FALSE(out_of_order);
  EXPECT_GE(ticks, 3u);  // five jobs of 0.2 s two at a time take three rounds
  for (int k = 0; k < 5; ++k) {
    const auto log = jobs[k].log_file;
    EXPECT_EQ(osgan::read_text_file(log), "job " + std::to_string(k) + " ran\n");
    EXPECT_EQ(osgan::last_line_of(log), "job " + std::to_string(k) + " ran");
  }
  EXPECT_FALSE(osgan::InterruptGuard::requested());
}

TEST(ChildJobs, AStopRequestEndsTheRunningChildrenAndStartsNoOther) {
  const auto dir = fresh_dir("osgan_child_jobs_stop");
  std::vector<ChildJob> jobs;
  for (int k = 0; k < 3; ++k)
    jobs.push_back(shell_job("job " + std::to_string(k), "exec sleep 30", dir / ("job" + std::to_string(k) + ".log")));
  // What a Ctrl-C does, once the first child runs.
  const auto codes = osgan::run_child_jobs(jobs, 1, [](const std::vector<ChildJobState>& states) {
    if (states[0] == ChildJobState::running) osgan::InterruptGuard::request();
  });
  EXPECT_TRUE(osgan::InterruptGuard::requested());
  osgan::InterruptGuard::clear();
  EXPECT_EQ(codes, (std::vector<int>{128 + SIGTERM, -1, -1}));  // stopped by SIGTERM; the others never started
  EXPECT_FALSE(fs::exists(jobs[1].log_file));
}

TEST(ChildJobs, LastLineOfSkipsEmptyLinesAndAFailureQuotesIt) {
  const auto dir = fresh_dir("osgan_child_jobs_last_line");
  fs::create_directories(dir);
  osgan::write_text_atomically(dir / "log", "first\nerror: the reason\n\n\n");
  EXPECT_EQ(osgan::last_line_of(dir / "log"), "error: the reason");
  EXPECT_EQ(osgan::last_line_of(dir / "missing"), "");
  const ChildJob job{"job", {"/bin/true"}, dir / "log"};
  EXPECT_EQ(osgan::child_job_failure(job, 3),
            "failed (exit status 3): error: the reason [full log: " + (dir / "log").string() + "]");
}
