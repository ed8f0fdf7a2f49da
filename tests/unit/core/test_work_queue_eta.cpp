#include <gtest/gtest.h>

#include <stdexcept>

#include "osgan/core/work_queue_eta.h"

TEST(WorkQueueEta, HasNoEstimateUntilAJobIsTimed) {
  osgan::WorkQueueEta eta({100, 200, 300});
  EXPECT_EQ(eta.jobs(), 3u);
  EXPECT_EQ(eta.jobs_left(), 3u);
  EXPECT_FALSE(eta.seconds_left().has_value());
  eta.skipped(0);  // done earlier: no timing, so still nothing to estimate from
  EXPECT_EQ(eta.jobs_left(), 2u);
  EXPECT_FALSE(eta.seconds_left().has_value());
}

TEST(WorkQueueEta, EstimatesTheWorkLeftAtTheRateMeasuredOnTheTimedJobs) {
  osgan::WorkQueueEta eta({100, 200, 300, 400});
  eta.finished(0, 10);  // 0.1 s per unit
  ASSERT_TRUE(eta.seconds_left().has_value());
  EXPECT_DOUBLE_EQ(*eta.seconds_left(), (200 + 300 + 400) * 0.1);
  eta.skipped(2);       // reused: leaves the queue, does not change the rate
  EXPECT_DOUBLE_EQ(*eta.seconds_left(), (200 + 400) * 0.1);
  eta.finished(1, 50);  // 60 s over 300 units: 0.2 s per unit, pooled over both timed jobs
  EXPECT_DOUBLE_EQ(*eta.seconds_left(), 400 * 0.2);
  eta.finished(3, 1);
  EXPECT_EQ(eta.jobs_left(), 0u);
  EXPECT_DOUBLE_EQ(*eta.seconds_left(), 0);
}

TEST(WorkQueueEta, RefusesNegativeWorkAndClosingAJobTwiceOrOutOfRange) {
  EXPECT_THROW(osgan::WorkQueueEta({1, -1}), std::invalid_argument);
  osgan::WorkQueueEta eta({1, 2});
  eta.finished(0, 1);
  EXPECT_THROW(eta.finished(0, 1), std::logic_error);
  EXPECT_THROW(eta.skipped(2), std::logic_error);
}
