"""multipolar: the fragmenting international system in numbers.

    import multipolar as mp
    mp.resolve("Kremlin")                # 'RUS'
    mp.members("NATO", 1999)             # NATO's members in 1999
    mp.import_data("../shared/data")     # every public file it recognises
    mp.status()                          # what the warehouse holds, with provenance
    mp.write_report("report.html")       # the offline HTML report
"""
import importlib as _importlib

#: where each public name lives; imported on first use, so `multipolar --help` does not load pandas
_LAZY = {**{n: "multipolar.api" for n in (
    "actor", "actors", "compare_ideal_points", "dyads", "ideal_point_runs", "ideal_points", "import_data", "list_sources",
    "members", "read", "check", "relation", "resolve", "status", "stored_ideal_points", "use_ideal_points_run", "vote_agreement",
    "write_report", "import_events", "event_series", "event_dyad", "bloc_robustness", "compare_blocs")},
         "InputError": "multipolar.errors", "MultipolarError": "multipolar.errors", "UnknownCountryError": "multipolar.errors", "UsageError": "multipolar.errors",
         "Warehouse": "multipolar.warehouse"}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'multipolar' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"
__all__ = ["actor", "actors", "import_data", "list_sources", "members", "resolve", "status", "write_report",
           "ideal_points", "stored_ideal_points", "ideal_point_runs", "use_ideal_points_run", "vote_agreement", "compare_ideal_points",
           "dyads", "relation", "read", "check", "import_events", "event_series", "event_dyad", "bloc_robustness", "compare_blocs",
           "Warehouse", "InputError", "MultipolarError", "UnknownCountryError", "UsageError", "__version__"]
