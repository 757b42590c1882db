"""The command line starts without loading the data stack, and prints whole tables into pipes."""
from __future__ import annotations

import os
import subprocess
import sys

import multipolar


def _run(code: str) -> str:
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout


def test_help_does_not_import_pandas_or_duckdb():
    out = _run("import sys, multipolar.cli as c\n"
               "try:\n    c.app(['--help'])\nexcept SystemExit:\n    pass\n"
               "print('LOADED', sorted(m for m in ('pandas', 'duckdb', 'numpy') if m in sys.modules))")
    assert "LOADED []" in out


def test_a_state_profile_does_not_import_pandas():
    """`multipolar actors RUS` reads the registry and the memberships as plain rows: no data stack to load."""
    out = _run("import sys, multipolar.cli as c\n"
               "try:\n    c.app(['actors', 'RUS', '--format', 'json'])\nexcept SystemExit:\n    pass\n"
               "print('LOADED', sorted(m for m in ('pandas', 'duckdb', 'numpy') if m in sys.modules))")
    assert '"code": "RUS"' in out and '"BRICS"' in out and "LOADED []" in out


def test_every_public_name_resolves_lazily():
    for name in multipolar.__all__:
        assert getattr(multipolar, name) is not None, name
    assert set(multipolar.__all__) <= set(dir(multipolar))


def test_a_table_in_a_pipe_is_printed_whole(tmp_path):
    """`multipolar actors --list | grep …`: one line per state, nothing wrapped or cut (a terminal would fold at 80)."""
    exe = os.path.join(os.path.dirname(sys.executable), "multipolar")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "multipolar.cli"]
    out = subprocess.run([*cmd, "actors", "--list"], capture_output=True, text=True, check=True).stdout
    rows = [line for line in out.splitlines() if "DR Congo" in line]
    assert len(rows) == 1 and "COD" in rows[0] and "1960-06-30" in rows[0]                    # the name and its code on one line
    assert max(len(line) for line in out.splitlines()) > 80
