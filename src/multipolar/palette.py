"""The colours of every chart, once: the report (plotly in Python) and the dashboard (plotly.js, which
reads them from the page, see ``web/templates/base.html.j2``) both draw with these."""

#: relation types, hostile red ... friendly blue
TYPE_COLOURS = {"at war": "#7f0000", "adversary": "#d7301f", "rivalry": "#fc8d59", "neutral": "#9e9e9e",
                "alignment": "#74add1", "strategic partnership": "#4575b4", "alliance": "#1a237e"}
#: the ideal-point blocs
BLOC_COLOURS = {"US-leaning": "#2166ac", "nonaligned": "#bdbdbd", "China-leaning": "#b2182b"}
#: the dimensions (relation components) and the fragmentation processes named after them
DIMENSION_COLOURS = {"values": "#1f5a96", "people": "#b0413e", "economy": "#2e7d32", "institutions": "#8e6c00",
                     "interaction": "#6a3d9a", "information": "#6a3d9a"}
#: the triangle types of :mod:`multipolar.structure.triangles`
TRIANGLE_COLOURS = {"ménage à trois": "#1a9850", "romantic triangle": "#91bfdb", "stable marriage": "#fc8d59", "unit veto": "#d73027",
                    "common friend": "#a6d96a", "friend and foe": "#bbbbbb", "common adversary": "#fdae61", "friendly pair": "#d9f0d3",
                    "hostile pair": "#f4a582", "all neutral": "#dddddd"}
#: three series without a meaning of their own (the three pairs of a triangle)
SERIES_COLOURS = ["#1f5a96", "#b0413e", "#2e7d32"]
#: a loss and a gain (scenario changes)
LOSS, GAIN = "#d7301f", "#4575b4"
#: land on maps
LAND = "#f2f2f2"

#: everything above, as the dashboard reads it
PALETTE = {"types": TYPE_COLOURS, "blocs": BLOC_COLOURS, "dimensions": DIMENSION_COLOURS, "triangles": TRIANGLE_COLOURS, "series": SERIES_COLOURS,
           "loss": LOSS, "gain": GAIN, "land": LAND}
