// Training the GANs of several classes at once, each in its own `osgan train-gan` child process (see
// core/child_process.h for why a process and not a thread). Used by the pipeline on the CPU, where the quick
// preset runs about twice as many steps per second with one process per core as with one process on two cores.
#pragma once
#include <string>
#include <vector>

#include "osgan/train/gan_train_options.h"

namespace osgan {

struct GanJob {
  std::string label;        // for the progress line and errors, e.g. the class name
  GanTrainOptions options;  // out_dir must be set; resume is honoured
};

// Starts the jobs with `threads_each` LibTorch threads each, at most `max_at_once` at a time (0: all at once; the
// others wait in order), shows one combined progress line (unless quiet), and returns when all have ended: one entry per job, empty when it succeeded, else the reason (exit status and the
// last line of its log, RUN/.../train.log). Ctrl-C or SIGTERM stops every child cleanly (each saves a checkpoint)
// and then throws osgan::Error(interrupted).
std::vector<std::string> train_gans_in_parallel(const std::vector<GanJob>& jobs, int threads_each, bool quiet,
                                                int max_at_once = 0);

}  // namespace osgan
