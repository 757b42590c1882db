"""Every example in README.md runs, as a user runs it after the set-up command, so the README cannot drift.

The shell examples run one line at a time, in README order (later lines use what earlier ones stored), each in its own
``bash`` process with the project's ``multipolar`` on the PATH, from a working folder that has ``../shared`` beside it
(as a clone of the repository does). They read and write a copy of the session's fitted warehouse (``MULTIPOLAR_DB``)
and a copy of the shipped snapshot (``MULTIPOLAR_SNAPSHOT``), so the session's other tests are untouched. The Python block runs through sybil, in one namespace, in the same folder.
A line fails the test when it exits non-zero; its command, exit code and the end of its output are shown.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, SHARED

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
ARTICLE = """Date: 2024-03-01
Source: an analysis written for the README example

Russia and China are strategic partners. Russia's trade with China grew after 2022, while its trade with Germany fell.
China and India voted differently at the United Nations in 2021. The United States imposed sanctions on Russia in 2022.
"""


def shell_examples() -> list[str]:
    """The README's shell example lines (every ``bash`` block after the two set-up blocks), comments cut off."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), re.S)[2:]
    lines = []
    for block in blocks:
        for line in block.splitlines():
            line = re.split(r"\s{2,}#", line)[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


@pytest.fixture(scope="module")
def sandbox(fitted_warehouse, tmp_path_factory):
    """A working folder as a user has it: ``../shared`` beside it, a home with a downloaded GDELT day, a text to read."""
    base = tmp_path_factory.mktemp("readme")
    work, home = base / "multipolar", base / "home"
    work.mkdir()
    (base / "shared").symlink_to(SHARED.parent, target_is_directory=True)
    gdelt = home / "gdelt"
    gdelt.mkdir(parents=True)
    with zipfile.ZipFile(gdelt / "20241231000000.export.CSV.zip", "w") as z:
        z.write(FIXTURES / "gdelt2_20220301.export.CSV", "20241231000000.export.CSV")
    (work / "article.txt").write_text(ARTICLE)
    (work / "articles").mkdir()
    (work / "articles" / "one.txt").write_text(ARTICLE)
    (work / "articles" / "two.md").write_text(ARTICLE.replace("2024-03-01", "2023-06-01"))
    db = work / "warehouse.duckdb"
    shutil.copy(fitted_warehouse, db)
    # `snapshot build` rebuilds the snapshot that is read: a copy here, not the one the checkout ships
    from multipolar.snapshot import snapshot_dir
    snap = work / "snapshot"
    shutil.copytree(snapshot_dir(), snap)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "HOME": str(home),
           "MULTIPOLAR_DB": str(db), "MULTIPOLAR_SNAPSHOT": str(snap), "COLUMNS": "200"}
    env.pop("MULTIPOLAR_SHARED", None)               # the examples find ../shared/data as a clone does
    return work, env


@pytest.mark.skipif(SHARED is None, reason="the public data folder ../shared/data (or $MULTIPOLAR_SHARED) is absent")
@pytest.mark.parametrize("line", shell_examples())
def test_shell_example_runs(line, sandbox):
    work, env = sandbox
    if line.split()[:2] == ["multipolar", "serve"]:
        _serve_answers(line, work, env)
        return
    p = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True, timeout=900,
                       stdin=subprocess.DEVNULL)
    assert p.returncode == 0, f"README example `{line}` exited {p.returncode}:\n{(p.stdout + p.stderr)[-3000:]}"


def _serve_answers(line: str, work: Path, env: dict) -> None:
    """`multipolar serve` runs until stopped: start it on a free port, wait for its front page, then stop it."""
    import socket
    import time
    import urllib.request
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = subprocess.Popen(["bash", "-c", f"exec {line} --port {port}"], cwd=work, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert p.poll() is None, f"`{line}` stopped: {p.stdout.read()[-3000:]}"
                assert time.monotonic() < deadline, f"`{line}` did not answer on port {port} within 60 s"
                time.sleep(0.3)
    finally:
        p.terminate()
        p.wait(timeout=30)


@pytest.mark.skipif(SHARED is None, reason="the public data folder ../shared/data (or $MULTIPOLAR_SHARED) is absent")
def test_python_examples_run(sandbox, monkeypatch):
    """README's Python block, every statement, through sybil (one namespace, the README's order)."""
    from sybil import Sybil
    from sybil.parsers.markdown import PythonCodeBlockParser
    work, env = sandbox
    monkeypatch.chdir(work)
    monkeypatch.setenv("MULTIPOLAR_DB", env["MULTIPOLAR_DB"])
    monkeypatch.setenv("MULTIPOLAR_SNAPSHOT", env["MULTIPOLAR_SNAPSHOT"])
    monkeypatch.delenv("MULTIPOLAR_SHARED", raising=False)
    document = Sybil(parsers=[PythonCodeBlockParser()]).parse(README)
    examples = list(document.examples())
    assert examples, "README has no Python example"
    for example in examples:
        example.evaluate()
