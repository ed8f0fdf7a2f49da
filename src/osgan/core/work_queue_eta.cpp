#include "osgan/core/work_queue_eta.h"

#include <stdexcept>
#include <string>

namespace osgan {

WorkQueueEta::WorkQueueEta(std::vector<double> work) : work_(std::move(work)), open_(work_.size(), true) {
  for (const auto w : work_)
    if (!(w >= 0)) throw std::invalid_argument("WorkQueueEta: every job's work must be >= 0, got " + std::to_string(w));
}

void WorkQueueEta::close(std::size_t job) {
  if (job >= work_.size() || !open_[job])
    throw std::logic_error("WorkQueueEta: job " + std::to_string(job) + " is not an open job of " +
                           std::to_string(work_.size()));
  open_[job] = false;
}

void WorkQueueEta::skipped(std::size_t job) { close(job); }

void WorkQueueEta::finished(std::size_t job, double seconds) {
  close(job);
  timed_work_ += work_[job];
  timed_seconds_ += seconds > 0 ? seconds : 0;
}

std::size_t WorkQueueEta::jobs_left() const {
  std::size_t left = 0;
  for (const bool open : open_) left += open ? 1 : 0;
  return left;
}

std::optional<double> WorkQueueEta::seconds_left() const {
  if (timed_work_ <= 0) return std::nullopt;
  double work_left = 0;
  for (std::size_t i = 0; i < work_.size(); ++i)
    if (open_[i]) work_left += work_[i];
  return work_left * (timed_seconds_ / timed_work_);
}

}  // namespace osgan
