"""The `zorginkoop` command (INTERFACES.md): the frame in `app.py`, one module per group of commands.

Exit codes: 0 ok, 1 bad input (one Dutch line naming file, row and value — one per bad row for `fill` —
and no traceback), 2 usage; 130 when interrupted; 141 when the reader of the output went away
(`zorginkoop parameters | head -1`), as for a command the shell saw stopped by SIGPIPE.
"""

from __future__ import annotations

import os
import sys

from click.utils import PacifyFlushWrapper

# The commands' modules are imported by `app` when a command is asked for (app.COMMANDS).
from .app import BROKEN_PIPE, app, say


def main() -> None:
    try:
        app(prog_name="zorginkoop")
    except SystemExit as exc:
        # click ends with 1 when the output's reader has gone (and quiets the streams); 1 is for bad input.
        if exc.code == 1 and isinstance(sys.stdout, PacifyFlushWrapper):
            sys.exit(BROKEN_PIPE)
        raise
    except KeyboardInterrupt:
        say("afgebroken")
        sys.exit(130)
    except MemoryError:
        say("onvoldoende geheugen voor deze opdracht")
        sys.exit(1)
    except Exception as exc:  # a fault of the toolkit, not of the input: one line, not a traceback
        if os.environ.get("ZORGINKOOP_DEBUG"):
            raise
        say(f"interne fout ({type(exc).__name__}: {exc}); meld dit aan wie de toolkit beheert, met de "
            "opdracht die u gaf (ZORGINKOOP_DEBUG=1 toont de volledige melding)")
        sys.exit(1)


__all__ = ["app", "main"]
