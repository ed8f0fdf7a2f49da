#include "osgan/pipeline/parallel_gan_training.h"

#include <chrono>
#include <fstream>

#include "osgan/core/atomic_file.h"
#include "osgan/core/child_process.h"
#include "osgan/core/duration.h"
#include "osgan/core/error.h"
#include "osgan/core/log.h"
#include "osgan/pipeline/child_jobs.h"
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

}  // namespace

std::vector<std::string> train_gans_in_parallel(const std::vector<GanJob>& jobs, int threads_each, bool quiet,
                                                int max_at_once) {
  const auto exe = current_executable().string();
  std::vector<ChildJob> children;
  std::vector<std::int64_t> first_step(jobs.size(), 0);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& job = jobs[i];
    const fs::path run = job.options.out_dir;
    fs::create_directories(run);
    const auto request = run / "train-gan.request.yaml";  // the resolved options, handed over whole
    write_text_atomically(request, to_yaml(job.options));
    std::vector<std::string> argv = {exe, "train-gan", "--config", request.string(), "--out", run.string(),
                                     "--threads", std::to_string(threads_each), "--device", job.options.device,
                                     "--seed", std::to_string(job.options.seed)};
    if (job.options.resume) argv.push_back("--resume");
    first_step[i] = job.options.resume ? steps_done(run / "train.log") : 0;
    children.push_back({job.label, argv, run / "train.log"});
  }

  const auto t0 = std::chrono::steady_clock::now();
  auto last_progress = t0;
  const auto show_progress = [&](const std::vector<ChildJobState>& states) {
    const auto now = std::chrono::steady_clock::now();
    if (quiet || std::chrono::duration<double>(now - last_progress).count() < jobs.front().options.progress_seconds)
      return;
    last_progress = now;
    std::string line = "  gan:";
    std::int64_t done_since_start = 0, left = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const auto total = jobs[i].options.steps;
      const auto done = states[i] != ChildJobState::queued ? steps_done(children[i].log_file) : first_step[i];
      done_since_start += done - first_step[i];
      left += std::max<std::int64_t>(0, total - done);
      line += " " + jobs[i].label + " " + std::to_string(done) + "/" + std::to_string(total);
      line += states[i] == ChildJobState::queued ? " (queued)" : states[i] == ChildJobState::ended ? " (ended)" : "";
    }
    // Steps left over the steps per second of the jobs together: right for a queue as for jobs side by side.
    const double elapsed = std::chrono::duration<double>(now - t0).count();
    const double rate = done_since_start / std::max(elapsed, 1e-9);
    const double eta = rate > 0 ? left / rate : 0;
    log_info(line + ", " + format_duration(elapsed) + " so far" + (eta > 0 ? ", ETA " + format_duration(eta) : ""));
  };
  const auto exit_codes = run_child_jobs(children, max_at_once > 0 ? static_cast<std::size_t>(max_at_once) : 0,
                                         show_progress);

  if (InterruptGuard::requested())
    fail(ErrorCode::interrupted, "interrupted: the GAN runs saved their checkpoints; run the same command to resume");
  std::vector<std::string> failures;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const int code = exit_codes[i];
    if (code == 0) {
      failures.emplace_back();
    } else if (code < 0) {  // never started: only after a stop request, which threw above
      failures.push_back("GAN training of " + jobs[i].label + " did not start");
    } else if (code == 130) {
      fail(ErrorCode::interrupted, "interrupted: GAN training of " + jobs[i].label + " stopped (checkpoint saved); "
           "run the same command to resume");
    } else {
      failures.push_back("GAN training of " + jobs[i].label + " " + child_job_failure(children[i], code));
    }
  }
  return failures;
}

}  // namespace osgan
