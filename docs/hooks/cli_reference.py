"""MkDocs hook: the command reference comes from the command line itself, so it cannot go stale.

In a page, `<!-- dossiers NAME --help -->` becomes what `dossiers NAME --help` prints
(`<!-- dossiers --help -->`, what `dossiers --help` prints), and `<!-- dossiers commands -->`
a table of every command with its summary. Every command must
have its page, docs/commands/NAME.md, and that page must show its --help: the build fails
otherwise (mkdocs build --strict, run by `make docs`).
"""

from __future__ import annotations

import re

import click
import typer
from mkdocs.exceptions import PluginError

from dossiers.cli.app import app

WIDTH = 80  # columns of the help text, as a terminal of 80 columns shows it
HELP = re.compile(r"^<!-- dossiers (?:(?P<name>[a-z-]+) )?--help -->$", re.MULTILINE)
TABLE = re.compile(r"^<!-- dossiers commands -->$", re.MULTILINE)


def _group() -> click.Group:
    return typer.main.get_command(app)


def _context(command: click.Command, name: str, parent: click.Context | None = None) -> click.Context:
    return click.Context(command, info_name=name, parent=parent, terminal_width=WIDTH, max_content_width=WIDTH)


def help_text(name: str | None) -> str:
    """What `dossiers NAME --help` prints (`dossiers --help` for no name)."""
    group = _group()
    if name is None:
        return group.get_help(_context(group, "dossiers")).rstrip()
    if name not in group.commands:
        raise PluginError(f"<!-- dossiers {name} --help -->: dossiers has no command {name!r}")
    command = group.commands[name]
    return command.get_help(_context(command, name, _context(group, "dossiers"))).rstrip()


def command_table() -> str:
    """A Markdown table: each command, linked to its page, and the first paragraph of its help."""
    rows = ["| command | what it does |", "| --- | --- |"]
    for name, command in _group().commands.items():
        summary = " ".join((command.help or "").split("\n\n")[0].split()).replace("|", "\\|")
        rows.append(f"| [`{name}`]({name}.md) | {summary} |")
    return "\n".join(rows)


def on_files(files, config):
    """Fail the build when a command has no page."""
    missing = [name for name in _group().commands if files.get_file_from_path(f"commands/{name}.md") is None]
    if missing:
        raise PluginError(f"commands without a page in docs/commands/: {', '.join(missing)}")
    return files


def on_page_markdown(markdown, page, config, files):
    """Put each command's --help, and the table of commands, where the page asks for them."""
    path = page.file.src_uri
    name = path.removeprefix("commands/").removesuffix(".md")
    marker = f"<!-- dossiers {name} --help -->"
    if path.startswith("commands/") and name in _group().commands and marker not in markdown:
        raise PluginError(f"docs/{path} does not show the command's help: add <!-- dossiers {name} --help -->")
    markdown = HELP.sub(lambda found: f"```text\n{help_text(found['name'])}\n```", markdown)
    return TABLE.sub(lambda _: command_table(), markdown)
