"""xlwings Lite: paste this into the main.py tab of the xlwings Lite editor (Excel on the web, Mac, Windows).

The functions are the same module that classic xlwings imports on Windows (`toolkit.udfs`); xlwings
Lite registers every @func-decorated function it finds in main.py, imported ones included.
requirements.txt (the other tab) installs the toolkit; see the README, "xlwings Lite".
"""

from toolkit.udfs import (  # noqa: F401 - imported so that xlwings Lite registers them
    COOP_FTE_NODIG,
    COOP_MAX_CLIENTEN,
    COOP_MAX_OMZET,
    CZ_EXTRA_CLIENTEN,
    CZ_RATIO,
    CZ_RATIO_DREMPEL,
    CZ_RATIO_VOLDOET,
    CZ_STAFFEL_PCT,
    CZ_STAFFEL_VERGOEDING,
    NZ_BUDGET,
    NZ_GEWOGEN_INDEX,
    NZ_INDEXFACTOR,
)
