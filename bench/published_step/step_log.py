# Runs the published train.py unchanged with one LibTorch thread, logging a timestamp after each train step (the
# EMA update is the step's last operation) to $STEP_LOG, so start-up can be left out of the timing.
import os
import runpy
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
sys.path.insert(0, os.getcwd())
import core.utils as published_utils  # noqa: E402

_update_ema = published_utils.update_EMA
_log = open(os.environ["STEP_LOG"], "w")
_steps = [0]


def update_ema_and_log(net_ema, net_g, decay):
    result = _update_ema(net_ema, net_g, decay)
    _steps[0] += 1
    _log.write("%d %.6f\n" % (_steps[0], time.time()))
    _log.flush()
    return result


published_utils.update_EMA = update_ema_and_log
sys.argv = ["train.py"] + sys.argv[1:]
runpy.run_path("train.py", run_name="__main__")
