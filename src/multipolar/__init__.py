"""multipolar: the fragmenting international system in numbers.

    import multipolar as mp
    mp.resolve("Kremlin")                # 'RUS'
    mp.members("NATO", 1999)             # NATO's members in 1999
    mp.import_data("../shared/data")     # every public file it recognises
    mp.status()                          # what the warehouse holds, with provenance
    mp.write_report("report.html")       # the offline HTML report

Every command of the ``multipolar`` command line is one function here, with the same conventions: ``years="2019"``
or ``"1991:2024"``, ``states="RUS,CHN"``, ``draws=N``, and :func:`write` for any table (the format follows the suffix).
"""
import importlib as _importlib

#: the functions of :mod:`multipolar.api`, offered as ``mp.NAME``; imported on first use, so `multipolar --help` does
#: not load pandas
API = (
    # actors and data
    "resolve", "actor", "actors", "members", "import_data", "data_files", "not_data", "imported_since", "vote_match_report", "warehouse_path", "status", "list_sources", "write",
    # values
    "ideal_points", "stored_ideal_points", "ideal_point_runs", "use_ideal_points_run", "drop_ideal_points_run",
    "un_votes", "vote_agreement", "compare_ideal_points",
    # dyads and relations
    "dyads", "relation",
    # structure
    "poles", "triangle", "triangles", "blocs", "bloc_robustness", "compare_blocs", "trends", "trends_chart", "with_parameters",
    # gravity
    "gravity_replicate", "gravity_fit", "backtests", "backtest", "fragmentation", "fragmentation_imf", "scenarios", "simulate",
    # report, dashboard, snapshot
    "write_report", "serve", "is_loopback", "build_snapshot",
    # events
    "import_events", "migrate_events", "event_series", "event_dyad", "event_caveat",
    # texts
    "read", "check", "read_files", "check_files", "claims_table", "write_documents", "write_checked_html", "write_text_events",
)
_LAZY = {**{n: "multipolar.api" for n in API},
         "InputError": "multipolar.errors", "MultipolarError": "multipolar.errors", "UnknownCountryError": "multipolar.errors",
         "UsageError": "multipolar.errors", "Warehouse": "multipolar.warehouse", "parse_years": "multipolar.years",
         # the estimators (scikit-learn's contract: parameters in __init__, fit returns self, learned state ends in _)
         "DynamicOrdinalIdealPoints": "multipolar.dimensions.idealpoints", "IdealPointBlocs": "multipolar.structure.communities",
         "NetworkBlocs": "multipolar.structure.communities", "PPML": "multipolar.gravity.estimate",
         "StructuralGravity": "multipolar.gravity.ge"}


from . import actors as _actors_package  # noqa: E402,F401  loaded first, so that the function below keeps the name


def actors(year: int | None = None):
    """All states (one row per spell), or the system members of ``year``: :func:`multipolar.api.actors`.

    Defined here rather than loaded on first use: ``multipolar.actors`` is also the subpackage of states and
    groupings, and loading that subpackage (any call that reads the registry does) would otherwise make
    ``mp.actors`` the package instead of this function."""
    return _importlib.import_module("multipolar.api").actors(year)   # on first use, as every mp.NAME (see __getattr__)


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'multipolar' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"
__all__ = [*API, "parse_years", "Warehouse", "InputError", "MultipolarError", "UnknownCountryError", "UsageError", "__version__",
           "DynamicOrdinalIdealPoints", "IdealPointBlocs", "NetworkBlocs", "PPML", "StructuralGravity"]
