"""multipolar: the fragmenting international system in numbers.

    import multipolar as mp
    mp.resolve("Kremlin")                # 'RUS'
    mp.members("NATO", 1999)             # NATO's members in 1999
    mp.import_data("../shared/data")     # every public file it recognises
    mp.status()                          # what the warehouse holds, with provenance
    mp.report("report.html")             # the offline HTML report
"""
from .api import actor, actors, import_data, members, report, resolve, sources, status
from .errors import InputError, MultipolarError, UnknownCountryError
from .warehouse import Warehouse

__version__ = "0.1.0"
__all__ = ["actor", "actors", "import_data", "members", "report", "resolve", "sources", "status",
           "Warehouse", "InputError", "MultipolarError", "UnknownCountryError", "__version__"]
