"""Peak resident memory of this process (Linux /proc), shared by the benchmark scripts."""
from __future__ import annotations


def vm_hwm_mb() -> float:
    """The process's peak resident set (VmHWM) in MB."""
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_hwm() -> None:
    """Reset the peak to the current resident set, so the next phase is measured on its own."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
