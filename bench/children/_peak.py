"""Peak resident set size of the running process, for the child programs."""

from __future__ import annotations

import sys


def peak_bytes() -> int:
    """VmHWM (the peak RSS) from /proc/self/status on Linux; ru_maxrss elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r if sys.platform == "darwin" else r * 1024
