// Test seam for the numeric-fault recovery of GanTrainer: OSGAN_TEST_NAN_BATCH_AT_STEPS="5,9,9" replaces the
// training batch with NaNs on the first try of step 5 and on the first two tries of step 9, so the step's losses
// and D's gradients turn NaN exactly there. A step listed once is a transient fault (the replay after the rollback
// succeeds); listed more often than max_rollbacks, it stops the run. Unset: nothing is ever poisoned.
#pragma once
#include <cstdint>
#include <vector>

namespace osgan {

class NanBatchInjection {
 public:
  NanBatchInjection();  // reads the environment; throws osgan::Error(invalid_argument) on a malformed list

  // Whether this try of `step` gets a NaN batch (consumes one listed occurrence).
  bool poison(std::int64_t step);

 private:
  std::vector<std::int64_t> pending_;
};

}  // namespace osgan
