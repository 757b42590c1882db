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


def run_measured(cmd, env=None, interval: float = 0.05) -> dict:
    """Run ``cmd`` (a list) as a user runs it, in a fresh process, and sample its whole process tree (the
    command and its parser workers) every ``interval`` seconds. Returns wall seconds, exit code, and the
    peaks: ``tree_rss_mb`` (the largest sum of the resident sets of the tree at one instant: an upper bound,
    pages a forked worker shares with its parent count twice), ``tree_pss_mb`` (the same with each shared page
    divided among its sharers: the memory the import takes from the machine) and ``max_process_mb``."""
    import subprocess
    import time

    import psutil
    import tempfile
    t0 = time.perf_counter()
    fo, fe = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")     # files, not pipes: a full pipe would block the command
    p = subprocess.Popen(cmd, env=env, stdout=fo, stderr=fe, text=True)
    root = psutil.Process(p.pid)
    peak_rss = peak_pss = peak_one = 0.0
    n = 0
    while p.poll() is None:
        try:
            procs = [root] + root.children(recursive=True)
        except psutil.Error:
            break
        rss = pss = 0.0
        for q in procs:
            try:
                if n % 4 == 0:          # PSS is slower to read: every fourth sample
                    mi = q.memory_full_info()
                    pss += mi.pss
                    r = mi.rss
                else:
                    r = q.memory_info().rss
            except psutil.Error:
                continue
            rss += r
            peak_one = max(peak_one, r)
        peak_rss = max(peak_rss, rss)
        if n % 4 == 0:
            peak_pss = max(peak_pss, pss)
        n += 1
        time.sleep(interval)
    p.wait()
    fo.seek(0)
    fe.seek(0)
    out, err = fo.read(), fe.read()
    return {"seconds": time.perf_counter() - t0, "returncode": p.returncode, "stdout": out, "stderr": err,
            "tree_rss_mb": peak_rss / 2**20, "tree_pss_mb": peak_pss / 2**20, "max_process_mb": peak_one / 2**20, "samples": n}
