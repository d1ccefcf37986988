"""The code of another git revision as a benchmark's baseline, timed in the same run as this checkout.

`checkout("main")` extracts that revision's `toolkit` package once under `benchmarks/.baseline/<commit>/`
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
    if not (target / "toolkit" / "__init__.py").is_file():
        partial = target.with_name(target.name + ".part")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", commit, "toolkit"], cwd=ROOT, capture_output=True,
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
    """The environment of a child process that runs the toolkit of `tree`."""
    return {**os.environ, "PYTHONPATH": str(tree)}
