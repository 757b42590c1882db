"""Data flows one way: the layer contract in `.importlinter` holds (a back-edge fails the build)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint(config: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([exe, "--config", str(config), "--no-cache"], capture_output=True, text=True, cwd=ROOT, env=env)


def test_the_layer_contracts_are_kept():
    r = _lint(ROOT / ".importlinter")
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "2 kept, 0 broken" in r.stdout


def test_a_back_edge_breaks_the_contract(tmp_path):
    """The contract can fail: the same layers with report below dimensions are broken by the real imports."""
    text = (ROOT / ".importlinter").read_text()
    layers = text.split("layers =\n", 1)[1].split("\n\n", 1)[0].splitlines()
    lines = [ln for ln in layers if ln.strip()]
    moved = [ln for ln in lines if "multipolar.report" not in ln]
    i = next(k for k, ln in enumerate(moved) if ln.strip() == "multipolar.dimensions")
    moved.insert(i + 1, "    multipolar.report | multipolar.web")
    cfg = tmp_path / "bad.importlinter"
    cfg.write_text(text.replace("\n".join(layers[:len(lines)]), "\n".join(moved)))
    r = _lint(cfg)
    assert r.returncode != 0 and "BROKEN" in r.stdout
