"""multipolar: the fragmenting international system in numbers.

    import multipolar as mp
    mp.resolve("Kremlin")                # 'RUS'
    mp.members("NATO", 1999)             # NATO's members in 1999
    mp.import_data("../shared/data")     # every public file it recognises
    mp.status()                          # what the warehouse holds, with provenance
    mp.write_report("report.html")       # the offline HTML report
"""
from .api import (actor, actors, bloc_robustness, compare_blocs, compare_ideal_points, dyads, ideal_point_runs, ideal_points, import_data, list_sources, members, relation,
                  resolve, status, stored_ideal_points, use_ideal_points_run, vote_agreement, write_report)
from .errors import InputError, MultipolarError, UnknownCountryError
from .warehouse import Warehouse

__version__ = "0.1.0"
__all__ = ["actor", "actors", "import_data", "list_sources", "members", "resolve", "status", "write_report",
           "ideal_points", "stored_ideal_points", "ideal_point_runs", "use_ideal_points_run", "vote_agreement", "compare_ideal_points",
           "bloc_robustness", "compare_blocs",
           "dyads", "relation", "Warehouse", "InputError", "MultipolarError", "UnknownCountryError", "__version__"]
