// A queue of osgan child processes run a few at a time: the pipeline's GANs (parallel_gan_training.h) and its
// study's classifiers (one `osgan pipeline --only study-...` each). Processes, not threads: see core/child_process.h.
#pragma once
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace osgan {

struct ChildJob {
  std::string label;               // names the job in progress lines and errors
  std::vector<std::string> argv;   // argv[0] is the program (current_executable() for osgan itself)
  std::filesystem::path log_file;  // the child's stdout and stderr, appended; its folder is created
};

enum class ChildJobState { queued, running, ended };

// Runs every job, at most `max_at_once` at a time (0: all at once), starting them in their order. `on_tick` is
// called about five times a second with each job's state, for a progress line. Ctrl-C or SIGTERM: each running
// child is asked to stop (osgan's trainers save a checkpoint first), no queued job starts, and once the running
// ones have ended this returns; InterruptGuard::requested() then says so. Returns each job's exit status, -1 for
// a job that never started.
std::vector<int> run_child_jobs(const std::vector<ChildJob>& jobs, std::size_t max_at_once,
                                const std::function<void(const std::vector<ChildJobState>&)>& on_tick = {});

// The last non-empty line of a file (a child's log): what a failure message quotes.
std::string last_line_of(const std::filesystem::path& file);

// "failed (exit status N): <the log's last line> [full log: <path>]", for an error that names the job.
std::string child_job_failure(const ChildJob& job, int exit_code);

}  // namespace osgan
