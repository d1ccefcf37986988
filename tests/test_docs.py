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
