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

std::vector<std::string> train_gans_in_parallel(const std::vector<GanJob>& jobs, int threads_each, bool quiet) {
  const auto exe = current_executable().string();
  std::vector<std::unique_ptr<ChildProcess>> children;
  std::vector<std::int64_t> first_step;
  InterruptGuard interrupt_guard;  // a Ctrl-C reaches the children too (same process group); SIGTERM is forwarded
  for (const auto& job : jobs) {
    const fs::path run = job.options.out_dir;
    fs::create_directories(run);
    const auto request = run / "train-gan.request.yaml";  // the resolved options, handed over whole
    write_text_atomically(request, to_yaml(job.options));
    std::vector<std::string> argv = {exe, "train-gan", "--config", request.string(), "--out", run.string(),
                                     "--threads", std::to_string(threads_each), "--device", job.options.device,
                                     "--seed", std::to_string(job.options.seed)};
    if (job.options.resume) argv.push_back("--resume");
    first_step.push_back(job.options.resume ? steps_done(run / "train.log") : 0);
    children.push_back(std::make_unique<ChildProcess>(argv, run / "train.log"));
  }

  const auto t0 = std::chrono::steady_clock::now();
  auto last_progress = t0;
  bool all_done = false, stopping = false;
  while (!all_done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (InterruptGuard::requested() && !stopping) {
      stopping = true;  // once: a second signal after a child's handler is gone would kill it mid-write
      for (auto& c : children) c->terminate();
    }
    all_done = true;
    for (auto& c : children) all_done = c->poll() && all_done;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - t0).count();
    const double progress_seconds = jobs.front().options.progress_seconds;
    if (quiet || all_done || std::chrono::duration<double>(now - last_progress).count() < progress_seconds) continue;
    last_progress = now;
    std::string line = "  gan:";
    double eta = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const auto done = steps_done(fs::path(jobs[i].options.out_dir) / "train.log");
      const auto total = jobs[i].options.steps;
      const double rate = (done - first_step[i]) / std::max(elapsed, 1e-9);
      if (rate > 0) eta = std::max(eta, (total - done) / rate);
      line += " " + jobs[i].label + " " + std::to_string(done) + "/" + std::to_string(total);
      line += children[i]->poll() ? " (ended)" : "";
    }
    log_info(line + ", " + format_minutes(elapsed) + " so far" + (eta > 0 ? ", ETA " + format_minutes(eta) : ""));
  }

  if (InterruptGuard::requested())
    fail(ErrorCode::interrupted, "interrupted: the GAN runs saved their checkpoints; run the same command to resume");
  std::vector<std::string> failures;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
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
