"""Workbooks the toolkit makes: the template workbooks (native formulas) and the UDF workbook."""
