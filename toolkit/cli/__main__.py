"""`python -m toolkit.cli`: the `zorginkoop` command."""

from . import main

main()
