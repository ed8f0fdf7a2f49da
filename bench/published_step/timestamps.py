# Prefixes each line of standard input with the time it arrived (osgan's step lines carry no clock).
import sys
import time

for line in sys.stdin:
    sys.stdout.write("%.3f %s" % (time.time(), line))
    sys.stdout.flush()
