"""README as a new user follows it: the two set-up commands first, then how `multipolar` gets on the
PATH and how long the tests take; every example names a command, option and function that exist."""
from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import typer.main

import multipolar
from multipolar.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
SETUP = ['python3 -m pip install -q uv && uv venv -q --allow-existing .venv && uv pip install -q --compile-bytecode --python .venv '
         '-e ".[test]" && .venv/bin/python -m compileall -q src && .venv/bin/multipolar report', ".venv/bin/python -m pytest -q -n 2 --dist loadfile"]


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_readme_starts_with_the_two_setup_commands_then_says_how_to_run_the_examples():
    first = blocks("bash")[0]
    assert README.startswith("# multipolar\n\n```bash\n") and first.splitlines() == SETUP
    before_examples = README[:README.index("## Using it")]
    # the examples call `multipolar` bare: the set-up puts it in .venv/bin, so the README says to activate it
    assert "```bash\n. .venv/bin/activate\n```" in before_examples
    assert re.search(r"about \d+(–\d+)? minutes on a 2-core machine", before_examples)     # how long the tests take
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["multipolar"] == "multipolar.cli:main"


def test_every_command_example_names_a_command_and_options_that_exist():
    root = typer.main.get_command(app)
    n = 0
    for block in blocks("bash")[2:]:
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if not line.startswith("multipolar "):
                continue
            words = shlex.split(line)[1:]
            cmd, path = root, ["multipolar"]
            while words and hasattr(cmd, "commands") and words[0] in cmd.commands:
                cmd = cmd.commands[words.pop(0)]
                path.append(cmd.name)
            assert not hasattr(cmd, "commands"), f"{line}: {' '.join(path)} needs a subcommand"
            opts = {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)}
            for w in words:
                if w.startswith("-"):
                    assert w.split("=")[0] in opts, f"{line}: {' '.join(path)} has no option {w}"
            n += 1
    assert n >= 30


def test_every_python_example_names_a_function_that_exists():
    names = set(re.findall(r"\bmp\.([a-z_]+)\(", "".join(blocks("python"))))
    assert {"ideal_points", "vote_agreement", "dyads", "ideal_point_runs", "stored_ideal_points"} <= names
    for name in names:
        assert callable(getattr(multipolar, name, None)), f"README calls mp.{name}, which `import multipolar as mp` lacks"
