"""The code of another git revision as a benchmark's baseline, timed in the same run as this checkout.

`checkout("main")` extracts that revision's `toolkit` package (with the `templates` and `examples` it finds
beside itself when run from a checkout) once under `benchmarks/.baseline/<commit>/`
(`git archive`: no worktree to clean up) and compiles its bytecode, as an installed wheel has it; a child
process runs it with `PYTHONPATH` set to the returned directory (`env`).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PARTS = ("toolkit", "templates", "examples")


def commit_of(revision: str) -> str:
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"unknown git revision {revision!r}")
    return done.stdout.strip()


def checkout(revision: str) -> Path:
    """The directory holding the `toolkit` package of `revision` (extracted on first use)."""
    commit = commit_of(revision)
    target = HERE / ".baseline" / commit[:12]
    if not all((target / part).is_dir() for part in PARTS):
        partial = target.with_name(target.name + ".part")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", commit, *PARTS], cwd=ROOT, capture_output=True,
                                 check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(partial, filter="data")
        partial.rename(target)
    compile_toolkit(target)
    return target


def compile_toolkit(tree: Path = ROOT) -> None:
    """Write the toolkit's bytecode first, as installing a wheel does: with PYTHONDONTWRITEBYTECODE set (as
    on these machines) every run would otherwise compile each module again (about 0.05 s of start-up)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "toolkit")], check=True)


def env(tree: Path = ROOT) -> dict[str, str]:
    """The environment of a child process that runs the toolkit of `tree`.

    PYTHONSAFEPATH keeps `python -m` from putting the working directory first on `sys.path`: run from
    this checkout, a baseline would otherwise import this checkout's toolkit, not its own."""
    environment = {**os.environ, "PYTHONPATH": str(tree), "PYTHONSAFEPATH": "1"}
    found = subprocess.run([sys.executable, "-c", "import toolkit; print(toolkit.__file__)"], env=environment,
                           capture_output=True, text=True, check=True).stdout.strip()
    if Path(found).resolve() != (tree / "toolkit" / "__init__.py").resolve():
        raise SystemExit(f"with PYTHONPATH={tree} the toolkit comes from {found}")
    return environment
