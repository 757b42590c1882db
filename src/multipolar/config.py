"""Where things live: the warehouse file and the shared public data folder."""
from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    """``MULTIPOLAR_DB`` if set, else ``multipolar.duckdb`` in the user's data directory."""
    env = os.environ.get("MULTIPOLAR_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir
    return Path(user_data_dir("multipolar", appauthor=False)) / "multipolar.duckdb"


def shared_data_dir() -> Path | None:
    """The folder of public datasets: ``MULTIPOLAR_SHARED`` or ``../shared/data`` beside the checkout."""
    env = os.environ.get("MULTIPOLAR_SHARED")
    cands = [Path(env).expanduser()] if env else []
    here = Path(__file__).resolve()
    cands += [here.parents[3] / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    for c in cands:
        if (c / "data").is_dir() and not (c / "MANIFEST.md").exists():
            c = c / "data"
        if c.is_dir():
            return c
    return None


def cache_dir() -> Path | None:
    """Where results that take long to compute and follow from their inputs alone are kept (gravity fits):
    ``MULTIPOLAR_CACHE`` if set (``off`` turns the cache off), else ``multipolar`` in the user's cache directory."""
    env = os.environ.get("MULTIPOLAR_CACHE")
    if env and env.strip().lower() in ("off", "0", "no", "none", "false"):
        return None
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir
    return Path(user_cache_dir("multipolar", appauthor=False))
