// The time left in a queue of jobs whose cost grows with a known amount of work (a classifier: the images it trains
// on times its epochs): the work left times the seconds per unit of work measured on the jobs timed so far. Jobs
// found done earlier leave the queue untimed, so a resumed queue estimates from what it has run itself.
#pragma once
#include <cstddef>
#include <optional>
#include <vector>

namespace osgan {

class WorkQueueEta {
 public:
  explicit WorkQueueEta(std::vector<double> work);  // one entry per job, in any one unit, each >= 0

  void skipped(std::size_t job);                   // done earlier: leaves the queue with no timing
  void finished(std::size_t job, double seconds);  // ran here and took `seconds`

  std::size_t jobs() const { return work_.size(); }
  std::size_t jobs_left() const;
  // Seconds for the jobs still open; none until a job with work > 0 has been timed (nothing to measure a rate on).
  std::optional<double> seconds_left() const;

 private:
  void close(std::size_t job);

  std::vector<double> work_;
  std::vector<bool> open_;
  double timed_work_ = 0, timed_seconds_ = 0;
};

}  // namespace osgan
