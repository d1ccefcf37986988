"""Where things sit in a template workbook: the rows `build.py` lays out and `fill.py` reads and adjusts.

Kept apart from the builder so that `fill` (which must start fast) knows the layout without importing
openpyxl.
"""

FIRST_INPUT_ROW = 4  # Invoer: the first scalar input (row 3 holds the key)
RANGE_HEADER_ROW = 14  # Invoer and Berekening: the header of the range inputs (months, postcodes, …)
RANGE_TOP = RANGE_HEADER_ROW + 1
FIRST_OUTPUT_ROW = 5  # Uitkomst: the first result (row 4 holds the column headings)
OUTPUT_RANGE_ROW = 16  # Uitkomst: the header of the range outputs (months, quarters, areas)
# A long range (postcodes, members' hours): the rows an empty template prints and charts; `fill` sets both
# to the rows it wrote.
LONG_RANGE = 12
SHOWN_ROWS = 40
CHART_ROWS = 40
CHART_BOTTOM_ROW = OUTPUT_RANGE_ROW + 18  # a chart of 8.5 cm below the results block ends about here
