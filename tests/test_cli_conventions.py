"""One convention per idea, in every command: `--years`, `--format table|csv|json`, `--out FILE` (the format follows
the suffix), `--draws`, `--states`; exit 2 for usage errors, 1 for data errors. The walk below reads the commands from
the Typer app itself, so a new command that breaks the convention fails here."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import typer.main
from typer.testing import CliRunner

import multipolar
from multipolar.cli import app

runner = CliRunner()

#: commands without --years, and why (keep this short: a command that reads years takes --years)
NO_YEARS = {
    "data import": "imports files: their years are what the files hold",
    "data sources": "lists the readers, which have no years",
    "serve": "the dashboard chooses years on its pages",
    "snapshot build": "the snapshot holds every year of the public data",
    "events import": "imports files: their years are what the files hold",
    "events migrate": "rewrites the lake's files in the current layout, every year",
    "gravity replicate": "the textbook's data and years are fixed (Yotov et al. 2016, ch. 2)",
}
#: commands without --out, and why: they write no table
NO_OUT = {
    "data import": "writes the warehouse; its report prints with --format csv|json",
    "events import": "writes the event lake and the warehouse; its report prints with --format csv|json",
    "events migrate": "rewrites the event lake; its one-line result prints with --format csv|json",
    "serve": "serves pages, writes nothing",
    "snapshot build": "writes a folder of files, named by --snapshot-dir",
}


def leaves(cmd, path: tuple[str, ...] = ()):
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            yield from leaves(sub, (*path, name))
    else:
        yield " ".join(path), cmd


LEAVES = dict(leaves(typer.main.get_command(app)))


def options(cmd) -> set[str]:
    return {o for p in cmd.params for o in (*p.opts, *p.secondary_opts) if not getattr(p, "hidden", False)}


def test_the_walk_finds_every_command_group():
    assert {"actors", "dyads", "relation", "poles", "blocs", "idealpoints", "gravity fit", "simulate", "events dyad", "report",
            "data status", "read", "check", "serve", "snapshot build"} <= set(LEAVES)
    assert set(NO_YEARS) <= set(LEAVES) and set(NO_OUT) <= set(LEAVES)


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_every_command_takes_years_format_and_out(name):
    opts = options(LEAVES[name])
    assert "--format" in opts, f"multipolar {name} has no --format"
    if name not in NO_YEARS:
        assert "--years" in opts, f"multipolar {name} has no --years (or add it to NO_YEARS with the reason)"
    else:
        assert "--years" not in opts, f"multipolar {name} takes --years now: remove it from NO_YEARS"
    if name not in NO_OUT:
        assert "--out" in opts, f"multipolar {name} has no --out (or add it to NO_OUT with the reason)"
    # one spelling per idea: the old ones are hidden aliases at most
    assert not opts & {"--boot", "--json", "--year", "--fit-years", "--start", "--show"}, f"multipolar {name} shows an old spelling"
    if "--draws" in opts or any("draw" in (p.help or "").lower() for p in LEAVES[name].params if p.param_type_name == "option"):
        assert "--draws" in opts


def test_years_arguments_are_options_not_positional():
    for name in ("poles", "blocs", "triangles"):
        assert not [p for p in LEAVES[name].params if p.param_type_name == "argument"], f"multipolar {name} takes a positional argument"


def _ok(args):
    res = runner.invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res


@pytest.mark.parametrize("args, column", [
    (["actors", "--list", "--years", "1980"], "code"),
    (["actors", "--group", "NATO", "--years", "1999"], "code"),
    (["data", "sources"], "source"),
    (["gravity", "backtest", "--list"], "exporter"),
    (["simulate", "--list"], "sector"),
])
def test_format_csv_and_json_print_only_the_result(args, column):
    c = pd.read_csv(io.StringIO(_ok([*args, "--format", "csv"]).stdout))
    j = pd.DataFrame(json.loads(_ok([*args, "--format", "json"]).stdout))
    assert len(c) == len(j) > 0 and column in c.columns and list(c.columns) == list(j.columns)


def test_nato_in_1999_as_csv_and_json_agree_with_the_library():
    c = pd.read_csv(io.StringIO(_ok(["actors", "--group", "NATO", "--years", "1999", "--format", "csv"]).stdout))
    assert sorted(c["code"]) == sorted(multipolar.members("NATO", 1999))


@pytest.mark.parametrize("suffix", [".csv", ".json", ".parquet", ".dta"])
def test_out_writes_the_format_its_suffix_names(tmp_path, suffix):
    out = tmp_path / f"states{suffix}"
    _ok(["actors", "--list", "--years", "1980", "--out", out])
    df = {".csv": pd.read_csv, ".json": lambda p: pd.DataFrame(json.loads(p.read_text())), ".parquet": pd.read_parquet,
          ".dta": pd.read_stata}[suffix](out)
    assert {"SUN", "GFR", "DDR"} <= set(df["code"]) and "RUS" not in set(df["code"])


@pytest.mark.parametrize("suffix", [".csv", ".json", ".parquet", ".dta"])
def test_a_table_of_numbers_round_trips_through_every_format(tmp_path, suffix):
    """`poles` on the embedded snapshot: floats, missing values and text columns in each format."""
    out = tmp_path / f"poles{suffix}"
    res = _ok(["poles", "--years", "1990:2000", "--db", tmp_path / "fresh.duckdb", "--out", out])
    assert "wrote" in res.stderr
    df = {".csv": pd.read_csv, ".json": lambda p: pd.DataFrame(json.loads(p.read_text())), ".parquet": pd.read_parquet,
          ".dta": pd.read_stata}[suffix](out)
    assert list(df["year"].astype(int)) == list(range(1990, 2001)) and df["gp_effective_n"].between(1, 10).all()


def test_nothing_is_written_without_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _ok(["poles", "--years", "1990:1991", "--db", tmp_path / "fresh.duckdb"])
    _ok(["actors", "--list"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.duckdb"] or not any(
        p.suffix in (".parquet", ".csv", ".dta", ".json") for p in tmp_path.iterdir())


@pytest.mark.parametrize("args", [
    ["actors", "--list", "--format", "xml"],                             # not a format
    ["actors", "--list", "--out", "states.txt"],                         # not a file format
    ["poles", "--years", "19x0"],                                        # not years
    ["poles", "--years", "2000:1990"],                                   # the wrong way round
    ["actors", "--group", "NATO", "--years", "1990:1999"],               # one year only
    ["blocs"],                                                           # years needed
    ["dyads", "--codebook"],                                             # a codebook goes beside --out
    ["events", "dyad", "RUS", "UKR", "--years", "20x4"],                 # the same year parser everywhere
])
def test_usage_errors_exit_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, [*args, "--db", str(tmp_path / "fresh.duckdb")] if args[0] in ("poles", "blocs", "dyads", "events") else args)
    assert res.exit_code == 2, res.output
    assert "error" in res.output.lower() or "usage" in res.output.lower()
    assert not (tmp_path / "states.txt").exists()


def test_data_errors_exit_1(tmp_path):
    res = runner.invoke(app, ["poles", "--years", "2090:2095", "--db", str(tmp_path / "fresh.duckdb")])
    assert res.exit_code == 1 and "no data in 2090-2095" in " ".join(res.output.split())


def test_old_spellings_still_work_and_say_so(tmp_path):
    new = _ok(["poles", "--years", "1990:1992", "--db", tmp_path / "w.duckdb", "--format", "csv"])
    old = _ok(["poles", "1990:1992", "--db", tmp_path / "w.duckdb", "--format", "csv"])
    assert old.stdout == new.stdout and "deprecated" in old.stderr


def test_every_api_function_is_importable_from_the_package_with_a_docstring():
    import inspect

    import multipolar.api as api
    public = {n for n, f in vars(api).items() if inspect.isfunction(f) and not n.startswith("_")
              and f.__module__ in ("multipolar.api", "multipolar.dimensions.values") and n in dir(api)}
    public -= {n for n in public if vars(api)[n].__module__ != "multipolar.api" and n != "stored_ideal_points"}
    for name in public:
        if name == "actors":      # the subpackage multipolar.actors, once imported, takes the attribute (known; see the lead's note)
            continue
        assert getattr(multipolar, name) is vars(api)[name], f"mp.{name} is missing"
        assert (vars(api)[name].__doc__ or "").strip(), f"api.{name} has no docstring"
