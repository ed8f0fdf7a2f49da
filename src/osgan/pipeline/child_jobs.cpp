#include "osgan/pipeline/child_jobs.h"

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "osgan/core/child_process.h"
#include "osgan/train/interrupt.h"

namespace osgan {
namespace fs = std::filesystem;

std::vector<int> run_child_jobs(const std::vector<ChildJob>& jobs, std::size_t max_at_once,
                                const std::function<void(const std::vector<ChildJobState>&)>& on_tick) {
  const std::size_t limit = max_at_once > 0 ? max_at_once : jobs.size();
  std::vector<std::unique_ptr<ChildProcess>> children(jobs.size());  // null: not started yet
  std::vector<ChildJobState> states(jobs.size(), ChildJobState::queued);
  InterruptGuard interrupt_guard;  // a Ctrl-C reaches the children too (same process group); SIGTERM is forwarded
  std::size_t started = 0;
  bool stopping = false;
  while (true) {
    if (InterruptGuard::requested() && !stopping) {
      stopping = true;  // once: a second signal after a child's handler is gone would kill it mid-write
      for (auto& c : children) if (c) c->terminate();
    }
    std::size_t running = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (!children[i]) continue;
      states[i] = children[i]->poll() ? ChildJobState::ended : ChildJobState::running;
      running += states[i] == ChildJobState::running;
    }
    // Start queued jobs while fewer than `limit` run: more processes than cores only share the cores.
    while (!stopping && started < jobs.size() && running < limit) {
      const auto& job = jobs[started];
      fs::create_directories(job.log_file.parent_path());
      children[started] = std::make_unique<ChildProcess>(job.argv, job.log_file);
      states[started++] = ChildJobState::running;
      ++running;
    }
    if (on_tick) on_tick(states);
    if (running == 0 && (started == jobs.size() || stopping)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::vector<int> exit_codes(jobs.size(), -1);
  for (std::size_t i = 0; i < jobs.size(); ++i)
    if (children[i]) exit_codes[i] = children[i]->exit_code();
  return exit_codes;
}

std::string last_line_of(const fs::path& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

std::string child_job_failure(const ChildJob& job, int exit_code) {
  return "failed (exit status " + std::to_string(exit_code) + "): " + last_line_of(job.log_file) + " [full log: " +
         job.log_file.string() + "]";
}

}  // namespace osgan
