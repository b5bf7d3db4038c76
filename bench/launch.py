"""Start one timed run from a small process, and report the run's own resource use.

Linux carries a process's peak RSS across ``exec``: a run started straight from the benchmark,
which holds the model it built (~575 MB), reports at least that much whatever it used itself.
Started from this small launcher, the run's ``ru_maxrss`` is its own. Usage (bench/run.py):
``python bench/launch.py USAGE.json CMD…``; writes user/system CPU seconds and peak RSS (KiB)
of CMD to USAGE.json and exits with CMD's exit code.
"""

import json
import os
import subprocess
import sys

if __name__ == "__main__":
    usage_file, command = sys.argv[1], sys.argv[2:]
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    with open(usage_file, "w", encoding="utf-8") as out:
        json.dump({"user": usage.ru_utime, "system": usage.ru_stime, "maxrss_kib": usage.ru_maxrss}, out)
    sys.exit(os.waitstatus_to_exitcode(status))
