"""The `dossiers` command line: a thin layer over the pipeline's functions.

Heavy imports (WeasyPrint) happen inside the commands that render, so that `check`,
`export` and `schema` start fast.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import __version__
from .check import Checked, check_project
from .load import load_project
from .problems import InputError, Problem, format_github, format_json, format_markdown, format_text
from .quotes import normalise

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Check a registry of actors against its sources, and render dossiers from it.",
)

Root = Annotated[Path, typer.Option("--root", help="The folder that holds actors.yaml and seeds/.", show_default=".")]


class ProblemFormat(str, Enum):
    text = "text"
    github = "github"
    json = "json"


def _print_problems(problems: list[Problem], root: Path, fmt: ProblemFormat = ProblemFormat.text, context: bool = True) -> None:
    shown_root = str(root)
    if fmt == ProblemFormat.json:
        typer.echo(format_json(problems, shown_root))
    elif fmt == ProblemFormat.github:
        if problems:
            typer.echo(format_github(problems, shown_root))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as out:
                out.write(format_markdown(problems, shown_root))
    else:
        typer.echo(format_text(problems, shown_root, context))


def _checked(root: Path) -> Checked:
    """Load and check the project, or print what is wrong and exit 1."""
    try:
        checked = check_project(load_project(root))
    except InputError as error:
        _fail(error.problems, root)
    if checked.errors:
        _fail(checked.errors, root)
    return checked


def _fail(problems: list[Problem], root: Path) -> NoReturn:
    typer.echo(format_text(problems, str(root)), err=True)
    typer.echo("Run `dossiers check` for the full list of problems.", err=True)
    raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dossiers {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Check a registry of actors against its sources, and render dossiers from it."""


@app.command()
def check(
    root: Root = Path("."),
    fmt: Annotated[ProblemFormat, typer.Option("--format", help="text for people, github for workflow annotations, json for tools.")] = ProblemFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")] = False,
    brief: Annotated[bool, typer.Option("--brief", help="Text format: one line per problem, without the quoted line.")] = False,
) -> None:
    """Check every citation, id, date and source file. Exit 1 on errors. Reads, never writes."""
    try:
        problems = check_project(load_project(root)).problems
    except InputError as error:
        problems = error.problems
        if fmt == ProblemFormat.text:
            typer.echo("The registry did not load; the other checks run once these are fixed.")
    _print_problems(problems, root, fmt, context=not brief)
    failing = [p for p in problems if p.severity == "error" or strict]
    raise typer.Exit(1 if failing else 0)


class ExportFormat(str, Enum):
    json = "json"
    ftm = "ftm"
    csv = "csv"


@app.command()
def export(
    root: Root = Path("."),
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = ExportFormat.json,
) -> None:
    """Print the registry: json (joined, with verified quote offsets), ftm (FollowTheMoney entities, JSON lines) or csv."""
    checked = _checked(root)
    if fmt == ExportFormat.ftm:
        from .ftm import ftm_lines

        for line in ftm_lines(checked):
            typer.echo(line)
    elif fmt == ExportFormat.csv:
        from .ftm import csv_text

        typer.echo(csv_text(checked), nl=False)
    else:
        from .join import export_data

        typer.echo(json.dumps(export_data(checked), indent=2, ensure_ascii=False))


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def coverage(
    root: Root = Path("."),
    fail_under: Annotated[float, typer.Option("--fail-under", min=0, max=100, help="Exit 1 when the total is under this percentage.")] = 0.0,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = ReportFormat.text,
) -> None:
    """List the source sentences that name an actor and that no fact cites or waiver excuses."""
    from .coverage import measure_coverage, total_percent

    report = measure_coverage(_checked(root))
    total = total_percent(report)
    if fmt == ReportFormat.json:
        data = {
            "total": round(total, 1),
            "sources": [
                {
                    "source": r.source, "file": r.file, "percent": round(r.percent, 1),
                    "covered": len(r.covered), "waived": len(r.waived),
                    "uncovered": [{"line": s.line, "start": s.start, "end": s.end, "text": s.text, "mentions": list(s.mentions)} for s in r.uncovered],
                }
                for r in report
            ],
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for r in report:
            typer.echo(f"{r.source} ({r.file}): {r.total - len(r.uncovered)} of {r.total} sentences naming an actor are cited or waived ({r.percent:.1f}%, {len(r.waived)} waived)")
            for sentence in r.uncovered:
                typer.echo(f"  line {sentence.line}, uncited, names {', '.join(sentence.mentions)}: {' '.join(sentence.text.split())}")
        typer.echo(f"Total: {total:.1f}%")
    raise typer.Exit(1 if total < fail_under else 0)


@app.command()
def cite(
    source: Annotated[str, typer.Argument(help="The source's id, or its file name under seeds/.")],
    words: Annotated[str, typer.Argument(help="Words of the passage, roughly as the source has them.")],
    root: Root = Path("."),
) -> None:
    """Find a passage in a source and print a citation block to paste into actors.yaml."""
    from .quotes import QuoteError, suggest_citations

    checked = _checked(root)
    known = {s.id: s.id for s in checked.project.sources.sources} | {s.file: s.id for s in checked.project.sources.sources}
    if source not in known:
        typer.echo(f"error: no source has the id or file '{source}'; the sources are: {', '.join(sorted(known))}", err=True)
        raise typer.Exit(1)
    try:
        suggestions = suggest_citations(checked.texts[known[source]], words)
    except QuoteError as miss:
        typer.echo(f"error: {miss.message}", err=True)
        raise typer.Exit(1) from None
    if len(suggestions) > 1:
        typer.echo(f"# The words occur {len(suggestions)} times; each block below picks one occurrence.")
    for suggestion in suggestions:
        if normalise(suggestion.quote).text != normalise(words).text:
            typer.echo("# Not found word for word; this is the nearest passage.")
        typer.echo(f"# line {suggestion.passage.line}, characters {suggestion.passage.start}-{suggestion.passage.end}")
        typer.echo(f"      - source: {known[source]}")
        for key in ("quote", "prefix", "suffix"):
            value = getattr(suggestion, key)
            if value:
                typer.echo(f"        {key}: {json.dumps(value, ensure_ascii=False)}")


def _progress_reporter():
    """A rich progress bar on a terminal, plain lines otherwise."""
    if sys.stderr.isatty():
        from rich.progress import Progress

        bar = Progress(transient=False)
        bar.start()

        def start(label: str, total: int):
            task = bar.add_task(label, total=total)
            return lambda: bar.advance(task)

        return start, bar.stop

    def start_plain(label: str, total: int):
        count = [0]

        def done():
            count[0] += 1
            typer.echo(f"{label}: {count[0]}/{total}", err=True)

        return done

    return start_plain, lambda: None


@app.command()
def build(
    ids: Annotated[list[str] | None, typer.Argument(metavar="[ACTOR_ID]...", help="People to build; default: every person.")] = None,
    root: Root = Path("."),
    out: Annotated[Path | None, typer.Option("--out", help="Output folder.", show_default="ROOT/build")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: md, pdf, html.")] = "md,pdf",
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="PDF processes.", show_default="number of cores")] = None,
    no_pack: Annotated[bool, typer.Option("--no-pack", help="Build the dossiers only, not the briefing pack.")] = False,
) -> None:
    """Build a Markdown and a PDF dossier per person into OUT/dossiers/; with no ids, the briefing pack too.

    Only outputs whose inputs changed since the last build are rendered again.
    """
    from .build import PackOptions, build as run_build

    pack = None if no_pack else PackOptions()
    _run_build(root, out, lambda progress: run_build(root, out, ids or [], _split(formats), jobs, progress, pack))


@app.command()
def pack(
    root: Root = Path("."),
    out: Annotated[Path | None, typer.Option("--out", help="Output folder.", show_default="ROOT/build")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: md, pdf, html.")] = "md,pdf",
    title: Annotated[str, typer.Option("--title", help="Title on the cover.")] = "Briefing pack",
    handling: Annotated[str, typer.Option("--handling", help='Handling line on the cover, like "OFFICIAL".')] = "For internal use",
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="PDF processes, for a pack rendered in pieces.", show_default="number of cores")] = None,
) -> None:
    """Build the briefing pack: OUT/briefing-pack.pdf and .md, covering everyone."""
    from .build import PackOptions, build_pack

    _run_build(root, out, lambda progress: build_pack(root, out, PackOptions(title, handling), _split(formats), progress, jobs))


def _split(formats: str) -> list[str]:
    return [f.strip() for f in formats.split(",") if f.strip()]


def _run_build(root: Path, out: Path | None, run) -> None:
    """Run a build with progress shown, turning its errors into messages and exit 1."""
    from jinja2 import TemplateError, TemplateSyntaxError

    from .build import BuildError

    start, stop = _progress_reporter()
    try:
        with _interruptible(start) as start:
            written = run(start)
    except InputError as error:
        stop()
        _fail(error.problems, root)
    except (BuildError, TemplateError) as error:
        stop()
        where = f"{error.filename or error.name}:{error.lineno}: " if isinstance(error, TemplateSyntaxError) else ""
        kind = "template error: " if isinstance(error, TemplateError) else ""
        typer.echo(f"error: {where}{kind}{error}. Nothing was written.", err=True)
        raise typer.Exit(1) from None
    stop()
    typer.echo(f"Wrote {len(written)} files to {out or root / 'build'}.")


@contextmanager
def _interruptible(start):
    """Make Ctrl-C stop a build even when a library swallows the KeyboardInterrupt it raises.

    The signal is remembered, and the next finished item raises it again from our own code.
    """
    interrupted = []

    def on_interrupt(signum, frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    def checked_start(label: str, total: int):
        done = start(label, total)

        def checked_done():
            done()
            if interrupted:
                raise KeyboardInterrupt

        return checked_done

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield checked_start
    finally:
        signal.signal(signal.SIGINT, previous)


class DiffFormat(str, Enum):
    markdown = "markdown"
    text = "text"
    json = "json"


@app.command()
def diff(
    base: Annotated[str | None, typer.Argument(help="Git revision to compare from.", show_default="merge-base with the default branch")] = None,
    head: Annotated[str | None, typer.Argument(help="Git revision to compare to.", show_default="the working tree")] = None,
    root: Root = Path("."),
    fmt: Annotated[DiffFormat, typer.Option("--format", help="markdown for a pull request or job summary, text, or json.")] = DiffFormat.markdown,
    dossiers: Annotated[bool, typer.Option("--dossiers", help="Add a unified diff of each affected person's Markdown dossier.")] = False,
) -> None:
    """Report what a change claims: actors, facts and sources added, removed or changed, and whether new quotes verify."""
    from dataclasses import asdict

    from .diff import DiffError, diff_registry, fit_github
    from .diff import format_text as diff_text

    try:
        report = diff_registry(root, base, head, dossiers)
    except DiffError as error:
        typer.echo(f"error: {error}", err=True)
        if error.problems:
            typer.echo(format_text(error.problems, str(root), context=False), err=True)
        raise typer.Exit(1) from None
    if fmt == DiffFormat.json:
        typer.echo(json.dumps(asdict(report), indent=2, ensure_ascii=False, default=str))
    elif fmt == DiffFormat.text:
        typer.echo(diff_text(report))
    else:
        from .render import Renderer

        typer.echo(fit_github(Renderer(root).diff_markdown(report)).rstrip("\n"))


@app.command()
def screen(
    file: Annotated[Path, typer.Argument(help="FollowTheMoney entities, one JSON object a line (.json, .jsonl or .gz), e.g. an OpenSanctions export.")],
    root: Root = Path("."),
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0, help="Lowest score shown, 0-1.")] = 0.85,
) -> None:
    """List candidate matches for each person in the registry, by name and alias across scripts, for an analyst to confirm."""
    from .screen import screen as run_screen

    registry = _checked(root).project.registry
    if not file.is_file():
        typer.echo(f"error: {file} is not a file", err=True)
        raise typer.Exit(1)
    try:
        found = run_screen(registry.actors, file, threshold)
    except (ValueError, OSError, EOFError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    if fmt == ReportFormat.json:
        rows = [{"actor": a, "candidate_id": c.candidate_id, "names": list(c.names), "score": c.score, "topics": list(c.topics)} for a, cs in found.items() for c in cs]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    names = {a.id: a.name for a in registry.actors}
    for actor_id, candidates in found.items():
        typer.echo(f"{names[actor_id]} ({actor_id}): {len(candidates) or 'no'} candidate{'s' * (len(candidates) != 1)}")
        for c in candidates:
            topics = f" [{', '.join(c.topics)}]" if c.topics else ""
            typer.echo(f"  {c.score:.2f}  {c.candidate_id}  {'; '.join(c.names[:4])}{topics}")
    typer.echo("Candidates are leads for an analyst to confirm, not matches.")


class SchemaName(str, Enum):
    actors = "actors"
    sources = "sources"


@app.command()
def schema(
    name: Annotated[SchemaName, typer.Argument(help="actors for actors.yaml, sources for seeds/sources.yaml.")] = SchemaName.actors,
) -> None:
    """Print the JSON Schema of actors.yaml or of seeds/sources.yaml."""
    from .model import json_schema

    typer.echo(json.dumps(json_schema(name.value), indent=2, ensure_ascii=False))


def run() -> None:
    """Entry point of the console script: no traceback reaches the user unless DOSSIERS_DEBUG is set."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("Interrupted; files already in the output folder are unchanged or whole.", err=True)
        sys.exit(130)
    except Exception as error:  # a bug, not bad input: say so briefly
        if os.environ.get("DOSSIERS_DEBUG"):
            raise
        typer.echo(f"internal error: {type(error).__name__}: {error}. Run with DOSSIERS_DEBUG=1 for details, and please report it.", err=True)
        sys.exit(2)
