#include "osgan/pipeline/parallel_gan_training.h"

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "osgan/core/atomic_file.h"
#include "osgan/core/child_process.h"
#include "osgan/core/error.h"
#include "osgan/core/log.h"
#include "osgan/train/interrupt.h"

namespace osgan {
namespace fs = std::filesystem;
namespace {

// Steps done so far, from the child's last progress line ("step N/M ..." in its log). losses.csv is no measure: it is
// rewritten only with each checkpoint.
std::int64_t steps_done(const fs::path& log) {
  std::ifstream in(log);
  std::string line;
  std::int64_t step = 0;
  while (std::getline(in, line)) {
    const auto at = line.find("step ");
    if (at == std::string::npos || line.find('/', at) == std::string::npos) continue;
    try {
      step = std::stoll(line.substr(at + 5));
    } catch (const std::exception&) {
    }
  }
  return step;
}

std::string last_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

std::string format_minutes(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return std::to_string(s / 60) + "m" + (s % 60 < 10 ? "0" : "") + std::to_string(s % 60) + "s";
}

}  // namespace

std::vector<std::string> train_gans_in_parallel(const std::vector<GanJob>& jobs, int threads_each, bool quiet,
                                                int max_at_once) {
  const auto exe = current_executable().string();
  const std::size_t limit = max_at_once > 0 ? static_cast<std::size_t>(max_at_once) : jobs.size();
  std::vector<std::unique_ptr<ChildProcess>> children(jobs.size());  // null: not started yet
  std::vector<std::int64_t> first_step(jobs.size(), 0);
  InterruptGuard interrupt_guard;  // a Ctrl-C reaches the children too (same process group); SIGTERM is forwarded
  std::size_t started = 0;
  const auto start_next = [&] {
    const auto& job = jobs[started];
    const fs::path run = job.options.out_dir;
    fs::create_directories(run);
    const auto request = run / "train-gan.request.yaml";  // the resolved options, handed over whole
    write_text_atomically(request, to_yaml(job.options));
    std::vector<std::string> argv = {exe, "train-gan", "--config", request.string(), "--out", run.string(),
                                     "--threads", std::to_string(threads_each), "--device", job.options.device,
                                     "--seed", std::to_string(job.options.seed)};
    if (job.options.resume) argv.push_back("--resume");
    first_step[started] = job.options.resume ? steps_done(run / "train.log") : 0;
    children[started] = std::make_unique<ChildProcess>(argv, run / "train.log");
    ++started;
  };

  const auto t0 = std::chrono::steady_clock::now();
  auto last_progress = t0;
  bool all_done = false, stopping = false;
  while (!all_done) {
    if (InterruptGuard::requested() && !stopping) {
      stopping = true;  // once: a second signal after a child's handler is gone would kill it mid-write
      for (auto& c : children) if (c) c->terminate();
    }
    // Start queued jobs while fewer than `limit` run: more processes than cores only share the cores.
    std::size_t running = 0;
    for (auto& c : children) running += c && !c->poll();
    while (!stopping && started < jobs.size() && running < limit) {
      start_next();
      ++running;
    }
    all_done = running == 0 && (started == jobs.size() || stopping);
    if (all_done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - t0).count();
    const double progress_seconds = jobs.front().options.progress_seconds;
    if (quiet || std::chrono::duration<double>(now - last_progress).count() < progress_seconds) continue;
    last_progress = now;
    std::string line = "  gan:";
    std::int64_t done_since_start = 0, left = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const auto total = jobs[i].options.steps;
      const auto done = children[i] ? steps_done(fs::path(jobs[i].options.out_dir) / "train.log") : first_step[i];
      done_since_start += done - first_step[i];
      left += std::max<std::int64_t>(0, total - done);
      line += " " + jobs[i].label + " " + std::to_string(done) + "/" + std::to_string(total);
      line += !children[i] ? " (queued)" : children[i]->poll() ? " (ended)" : "";
    }
    // Steps left over the steps per second of the jobs together: right for a queue as for jobs side by side.
    const double rate = done_since_start / std::max(elapsed, 1e-9);
    const double eta = rate > 0 ? left / rate : 0;
    log_info(line + ", " + format_minutes(elapsed) + " so far" + (eta > 0 ? ", ETA " + format_minutes(eta) : ""));
  }

  if (InterruptGuard::requested())
    fail(ErrorCode::interrupted, "interrupted: the GAN runs saved their checkpoints; run the same command to resume");
  std::vector<std::string> failures;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (!children[i]) {  // never started: only after a stop request, which threw above
      failures.push_back("GAN training of " + jobs[i].label + " did not start");
      continue;
    }
    const int code = children[i]->exit_code();
    if (code == 0) {
      failures.emplace_back();
    } else if (code == 130) {
      fail(ErrorCode::interrupted, "interrupted: GAN training of " + jobs[i].label + " stopped (checkpoint saved); "
           "run the same command to resume");
    } else {
      failures.push_back("GAN training of " + jobs[i].label + " failed (exit status " + std::to_string(code) + "): " +
                         last_line(children[i]->log_file()) + " [full log: " + children[i]->log_file().string() + "]");
    }
  }
  return failures;
}

}  // namespace osgan
