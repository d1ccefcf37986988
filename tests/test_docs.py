"""The project stands on its own (issue 20, 8): README and docs point only to files in the repository,
every command they show for the claims exists, and CI runs the README's own test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_docs_point_only_inside_the_repository() -> None:
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        assert "../shared" not in text and "SPEC.md" not in text and "INTERFACES.md" not in text, doc.name
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (doc.parent / target).resolve().is_relative_to(ROOT), (doc.name, target)
            assert (doc.parent / target).exists(), (doc.name, target)


def test_ci_runs_the_readme_test_command_and_the_readme_has_two_set_up_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.+?)\n```", setup, re.S)
    assert len(commands) == 2 and all("\n" not in c for c in commands), commands
    install, test = commands
    assert "pip install ." in install and "zorginkoop ratio examples/declaraties_2025.csv --year 2027" in install
    assert "-m pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_rules_page_lists_every_claims_column_name() -> None:
    from toolkit.columns import CLAIM_FIELDS, header_key

    rules = (ROOT / "docs" / "regels.md").read_text(encoding="utf-8")
    table = rules.split("**Kolommen.**", 1)[1].split("\n\n", 2)[1]
    assert table.startswith("| veld |"), table[:80]
    shown = {header_key(name) for name in re.findall(r"`([^`]+)`", table)}
    for field in CLAIM_FIELDS.values():
        for name in field.names:
            assert header_key(name) in shown, name


def test_the_handleiding_shows_only_options_that_exist() -> None:
    import click
    from typer.main import get_command

    from toolkit.cli import app

    command = get_command(app)
    assert isinstance(command, click.Group)
    context = click.Context(command)
    # (every command: they are made when asked for)
    subcommands = [command.get_command(context, name) for name in command.list_commands(context)]
    options = {name for sub in [command, *subcommands] if sub is not None for p in sub.params for name in p.opts}
    for doc in DOCS:
        for line in doc.read_text(encoding="utf-8").splitlines():
            if "zorginkoop " not in line:
                continue
            for option in re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", line):
                assert option in options, (doc.name, option, line)


def test_messages_that_point_to_the_handleiding_name_a_section_it_has() -> None:
    headings = {line.lstrip("#").strip() for line in (ROOT / "docs" / "handleiding.md").read_text(
        encoding="utf-8").splitlines() if line.startswith("#")}
    pointers = [(path.name, section) for path in (ROOT / "toolkit").rglob("*.py")
                for section in re.findall(r"docs/handleiding\.md, '([^']+)'", path.read_text(encoding="utf-8"))]
    assert pointers
    for name, section in pointers:
        assert section in headings, (name, section)


def _shown_commands(doc: Path) -> list[list[str]]:
    """The `zorginkoop …` lines of a document's code blocks, continuation lines joined, as arguments."""
    import shlex

    commands = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("zorginkoop "):
                shown = re.sub(r"\s{2,}\(.*\)$", "", line)  # the guide's '  (what it does)' after a command
                commands.append(shlex.split(shown, comments=True)[1:])
    return commands


def test_the_commands_the_docs_show_on_the_bundled_examples_work_as_copied(tmp_path: Path) -> None:
    """Found by a new user: the examples in the guide named files nobody has (`declaraties_2025.csv`), so a
    copied command failed. Every command shown that reads a bundled example, or a workbook an earlier such
    command made, runs as copied from the project's folder, in order, with exit code 0."""
    import os
    import shutil
    import subprocess
    import sys

    ran = 0
    for doc in (ROOT / "README.md", ROOT / "docs" / "handleiding.md"):
        folder = tmp_path / doc.stem
        folder.mkdir()
        (folder / "examples").symlink_to(ROOT / "examples")
        for args in _shown_commands(doc):
            made = [a for a in args if "/" in a and not a.startswith("-") and (folder / a).exists()]
            if not any(a.startswith("examples/") for a in args) and not (args[0] == "check" and made):
                continue
            result = subprocess.run([sys.executable, "-m", "toolkit.cli", *args], capture_output=True, text=True,
                                    cwd=folder, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300)
            assert result.returncode == 0, (doc.name, args, result.stderr)
            ran += 1
        shutil.rmtree(folder)
    assert ran >= 8, ran  # ratio, plafond (two), fill and check in the guide; ratio, plafond, fill, check in README


def test_the_guide_lists_every_excel_function_once_and_both_count_them() -> None:
    """Found by a new user: the guide's list repeated three functions, and the README said 'thirteen more'
    (16) where there are 21."""
    from toolkit.udfs import FUNCTIONS

    names = [f.__name__ for f in FUNCTIONS]
    guide = (ROOT / "docs" / "handleiding.md").read_text(encoding="utf-8")
    section = guide.split("## De Excel-functies", 1)[1].split("\n## ", 1)[0]
    listed = section.split("Functies die van het beleidsjaar", 1)[0]
    assert sorted(re.findall(r"`([A-Z_]+)`", listed)) == sorted(names)
    assert f"{len(names)} functies." in listed
    assert f"{len(names)}\nfunctions in all" in (ROOT / "README.md").read_text(encoding="utf-8")
