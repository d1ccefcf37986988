"""The toolkit's version, in one place: the package, `zorginkoop --version`, the wheel (pyproject reads it
here) and every workbook the toolkit stamps."""

__version__ = "0.1.0"
