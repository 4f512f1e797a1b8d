"""The `dossiers` command line: each command parses its options, makes one call, and presents the result.

Heavy imports (WeasyPrint) happen inside the commands that render, so that `check`,
`export` and `schema` start fast. Errors of the `DossiersError` family are shown by
`command`, the one handler; anything else is a bug, shown in one line.
"""

from __future__ import annotations

import functools
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..about import __version__
from ..errors import DossiersError, UserError, os_error
from . import present

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help=(
        "Check a registry of actors against its sources, and render dossiers from it.\n\n"
        "A project is a folder holding actors.yaml (the actors and the facts about them, each citing a source's exact "
        "words), "
        "seeds/ (the source documents, byte for byte, and seeds/sources.yaml, their metadata and sha256), and "
        "optionally "
        "dossiers.toml (settings) and templates/ (your own templates). `dossiers new DIR` creates one."
    ),
)


def command(function):
    """A command whose user errors (the DossiersError family) are presented, with exit 1."""

    @functools.wraps(function)
    def handled(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (DossiersError, OSError) as error:
            if isinstance(error, OSError):  # a file the command had to read or write, named with the reason
                error = os_error(error, f"run dossiers {function.__name__}")
            typer.echo(present.error_text(error, kwargs.get("root") or Path(".")), err=True)
            if isinstance(error, UserError) and error.problems:
                typer.echo("Run `dossiers check` for the full list of problems.", err=True)
            raise typer.Exit(1) from None

    return app.command()(handled)


Root = Annotated[Path, typer.Option("--root", help="The folder that holds actors.yaml and seeds/.", show_default=".")]
Out = Annotated[
    Path | None,
    typer.Option("--out", help="Output folder.", show_default="[build] out of dossiers.toml, else ROOT/build"),
]
Formats = Annotated[
    str | None,
    typer.Option(
        "--format", help="Comma-separated: md, pdf, html.", show_default="[build] formats of dossiers.toml, else md,pdf"
    ),
]
PackagedTemplates = Annotated[
    bool,
    typer.Option(
        "--packaged-templates/--project-templates",
        help="Render with the templates that ship with dossiers, ignoring the project's templates/ folder (for "
        "untrusted changes), or with the project's own.",
    ),
]
Fresh = Annotated[
    bool,
    typer.Option("--fresh", help="Ignore the existing manifest and outputs: render everything, keep nothing else."),
]
Jobs = Annotated[
    int | None, typer.Option("--jobs", min=1, help="PDF processes; 1 starts none.", show_default="number of cores")
]
Sign = Annotated[
    Path | None,
    typer.Option(
        "--sign",
        metavar="KEY",
        help="Sign every PDF (PAdES) and manifest.json with the key and certificate of KEY, a PKCS#12 file outside the "
        "project; "
        "its passphrase comes from DOSSIERS_SIGN_PASSPHRASE, else from [sign] passphrase of "
        "~/.config/dossiers/config.toml.",
    ),
]
Timestamp = Annotated[
    str | None,
    typer.Option(
        "--timestamp",
        metavar="URL",
        help="With --sign: a timestamp authority (RFC 3161) that dates each signature (PAdES B-T).",
        show_default="[sign] timestamp of the user config, else none",
    ),
]
Draft = Annotated[
    bool,
    typer.Option(
        "--draft",
        help="Render facts that have open support warnings too, each marked, every page saying it is a draft and how "
        "many claims are unsupported. "
        "Without it, such a fact stops the build until it is fixed or waived.",
    ),
]


class ProblemFormat(str, Enum):
    text = "text"
    github = "github"
    json = "json"


class ExportFormat(str, Enum):
    json = "json"
    ftm = "ftm"
    csv = "csv"


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


class DiffFormat(str, Enum):
    markdown = "markdown"
    text = "text"
    json = "json"


class SchemaName(str, Enum):
    actors = "actors"
    sources = "sources"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dossiers {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Check a registry of actors against its sources, and render dossiers from it."""


@command
def check(
    root: Root = Path("."),
    fmt: Annotated[
        ProblemFormat,
        typer.Option("--format", help="text for people, github for workflow annotations, json for tools."),
    ] = ProblemFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")] = False,
    brief: Annotated[
        bool, typer.Option("--brief", help="Text format: one line per problem, without the quoted line.")
    ] = False,
) -> None:
    """Check every citation, id, date and source file. Exit 1 on errors. Reads, never writes."""
    from ..verify.check import problems_of

    problems, loaded = problems_of(root)
    if fmt == ProblemFormat.json:
        typer.echo(present.problems_json(problems, root))
    elif fmt == ProblemFormat.github:
        if problems:
            typer.echo(present.problems_github(problems, root))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as out:
                out.write(present.problems_markdown(problems, root))
    else:
        if not loaded:
            typer.echo("The registry did not load; the other checks run once these are fixed.")
        typer.echo(present.problems_text(problems, root, context=not brief))
    failing = [p for p in problems if p.is_error or (strict and p.severity == "warning")]
    raise typer.Exit(1 if failing else 0)


@command
def export(
    root: Root = Path("."),
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = ExportFormat.json,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Excel: a UTF-8 byte order mark and CR LF line ends.")
    ] = False,
) -> None:
    """Print the registry: json (joined, with verified quote offsets), ftm (FollowTheMoney entities, JSON lines) or csv.

    In CSV no cell can run as a formula: one that begins with = + - @, a tab or a carriage return is prefixed with '.
    """
    from ..reports.export import export as export_registry

    text = export_registry(root, fmt.value, excel)
    if excel:  # bytes as they are: CR LF must not be translated
        sys.stdout.buffer.write(text.encode("utf-8"))
    else:
        typer.echo(text, nl=False)


@command
def coverage(
    root: Root = Path("."),
    fail_under: Annotated[
        float, typer.Option("--fail-under", min=0, max=100, help="Exit 1 when the total is under this percentage.")
    ] = 0.0,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = ReportFormat.text,
) -> None:
    """List the source sentences that name an actor and that no fact cites or waiver excuses."""
    from ..reports.coverage import coverage_of, total_percent

    report = coverage_of(root)
    total = total_percent(report)
    typer.echo(
        present.coverage_json(report, total) if fmt == ReportFormat.json else present.coverage_text(report, total)
    )
    raise typer.Exit(1 if total < fail_under else 0)


@command
def cite(
    source: Annotated[str, typer.Argument(help="The source's id, or its file name under seeds/.")],
    words: Annotated[str, typer.Argument(help="Words of the passage, roughly as the source has them.")],
    root: Root = Path("."),
) -> None:
    """Find a passage in a source and print a citation block to paste into actors.yaml. Works while other quotes are
    broken."""
    from ..reports.cite import cite as find

    cited = find(root, source, words)
    typer.echo(present.cite_text(cited.source, cited.suggestions, cited.exact, cited.count, cited.inside))


@command
def text(
    source: Annotated[str, typer.Argument(help="The source's id, or its file name under seeds/.")],
    root: Root = Path("."),
) -> None:
    """Print a source's text with line numbers (and pages, for a PDF): exactly what a quote must match. For HTML and PDF
    sources, the extracted text."""
    from ..reports.text import source_text

    typer.echo(present.source_text(source_text(root, source)))


@command
def serve(
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1; 0 picks a free one.")
    ] = 8000,
    packaged_templates: PackagedTemplates = False,
    draft: Draft = False,
    root: Root = Path("."),
) -> None:
    """Preview the site on 127.0.0.1: pages are rebuilt in memory when actors.yaml, seeds/ or templates/ change, and the
    open page reloads. PDFs are made only by build."""
    from ..pipeline.serve import serve as run_server

    run_server(
        root, port, not packaged_templates, ready=lambda url: typer.echo(present.serving(root, url)), draft=draft
    )


@command
def verify(
    file: Annotated[
        Path,
        typer.Argument(
            help="A dossier or briefing pack PDF made by dossiers build, or a build "
            "folder (or an unzipped workflow artifact)."
        ),
    ],
    trust: Annotated[
        Path | None,
        typer.Option(
            "--trust",
            metavar="CERT",
            help="A certificate or CA bundle (PEM or DER): the signer must be it or be certified by it.",
        ),
    ] = None,
    require_signature: Annotated[
        bool, typer.Option("--require-signature", help="Fail when the PDF or folder is not signed.")
    ] = False,
) -> None:
    """Check a PDF on its own: its signature; each claim it prints against its evidence, and the evidence against its
    pages;
    each attached source against its sha256; each quote against the source's text at its offsets. A folder: the
    signature
    of its manifest.json, then each file against the manifest. Exits 1 if anything fails."""
    from ..reports.verify import read_trust, verify_folder, verify_pdf

    anchors = read_trust(trust) if trust is not None else None
    if file.is_dir():
        checked = verify_folder(file, anchors, require_signature)
        typer.echo(present.folder_verification(file, checked))
        raise typer.Exit(1 if checked.failures else 0)
    result = verify_pdf(file, anchors, require_signature)
    typer.echo(present.verification(file, result))
    raise typer.Exit(1 if result.failures else 0)


@command
def add_source(
    file: Annotated[
        Path,
        typer.Argument(
            help="The document: an HTML page, a PDF, a UTF-8 text file, a web archive (WARC, WACZ) or a list "
            "(FollowTheMoney "
            "entities, JSON lines or array, gzipped or not). Copied into seeds/ unchanged unless it is there already."
        ),
    ],
    url: Annotated[
        str | None,
        typer.Option(
            help="Where the document was published; else its canonical URL, if it "
            "gives one. Of a web archive (WARC, WACZ): its page to add."
        ),
    ] = None,
    source_id: Annotated[
        str | None, typer.Option("--id", help="The new source's id; else one made from the file name.")
    ] = None,
    dataset: Annotated[
        str | None, typer.Option(help="For a list: its dataset (like 'eu_fsf'), when its entities do not name it.")
    ] = None,
    version: Annotated[
        str | None, typer.Option(help="For a list: its version or export date, when its entities do not give it.")
    ] = None,
    root: Root = Path("."),
) -> None:
    """Record a document as a source: copy it into seeds/, hash it, read its title, date, publisher and language (a
    list's dataset and version), and add its entry to seeds/sources.yaml."""
    from ..pipeline.add_source import add_source as add

    typer.echo(present.added_source(add(root, file, url, source_id, dataset, version)))


def _split(formats: str | None) -> list[str] | None:
    return None if formats is None else [f.strip() for f in formats.split(",") if f.strip()]


def _build(root: Path, out: Path | None, sign: Path | None, timestamp: str | None, **options) -> None:
    from ..pipeline.build import build as run_build
    from ..pipeline.signing import signing_key
    from ..registry.settings import output_folder

    if timestamp is not None and sign is None:
        raise UserError("--timestamp dates signatures: give --sign KEY too")
    key = signing_key(root, sign, timestamp) if sign is not None else None
    start, stop = present.progress_reporter()
    try:
        written = run_build(root, out=out, progress=start, notice=present.notice, sign=key, **options)
    finally:
        stop()
    where = output_folder(root, out)
    typer.echo(f"Wrote {len(written)} file{'s' * (len(written) != 1)} to {present.one_line(where)}.")
    if key is not None:
        typer.echo(present.signed(key))


@command
def build(
    ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="ACTOR_ID...", help="People to build; default: every person.", show_default=False),
    ] = None,
    root: Root = Path("."),
    out: Out = None,
    formats: Formats = None,
    jobs: Jobs = None,
    no_pack: Annotated[bool, typer.Option("--no-pack", help="Build the dossiers only, not the briefing pack.")] = False,
    fresh: Fresh = False,
    packaged_templates: PackagedTemplates = False,
    sign: Sign = None,
    timestamp: Timestamp = None,
    draft: Draft = False,
) -> None:
    """Build a Markdown and a PDF dossier per person into OUT/dossiers/; with no ids, the briefing pack too.

    Only outputs whose inputs changed since the last build are rendered again. A fact with an open support warning stops
    the build (see --draft).
    """
    from ..views.briefing import PackOptions

    _build(
        root,
        out,
        sign,
        timestamp,
        ids=ids or [],
        formats=_split(formats),
        jobs=jobs,
        pack=None if no_pack else PackOptions(),
        fresh=fresh,
        project_templates=not packaged_templates,
        draft=draft,
    )


@command
def pack(
    root: Root = Path("."),
    out: Out = None,
    formats: Formats = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title", help="Title on the cover.", show_default="[pack] title of dossiers.toml, else Briefing pack"
        ),
    ] = None,
    handling: Annotated[
        str | None,
        typer.Option(
            "--handling",
            help='Handling line on the cover, like "OFFICIAL".',
            show_default="[pack] handling of dossiers.toml, else For internal use",
        ),
    ] = None,
    jobs: Jobs = None,
    fresh: Fresh = False,
    packaged_templates: PackagedTemplates = False,
    sign: Sign = None,
    timestamp: Timestamp = None,
    draft: Draft = False,
) -> None:
    """Build the briefing pack: OUT/briefing-pack.pdf and .md, covering everyone. A fact with an open support warning
    stops it (see --draft)."""
    from ..views.briefing import PackOptions

    _build(
        root,
        out,
        sign,
        timestamp,
        formats=_split(formats),
        jobs=jobs,
        pack=PackOptions(title, handling),
        dossiers=False,
        fresh=fresh,
        project_templates=not packaged_templates,
        draft=draft,
    )


@command
def diff(
    base: Annotated[
        str | None,
        typer.Argument(help="Git revision to compare from.", show_default="merge-base with the default branch"),
    ] = None,
    head: Annotated[
        str | None, typer.Argument(help="Git revision to compare to.", show_default="the working tree")
    ] = None,
    root: Root = Path("."),
    fmt: Annotated[
        DiffFormat, typer.Option("--format", help="markdown for a pull request or job summary, text, or json.")
    ] = DiffFormat.markdown,
    dossiers: Annotated[
        bool, typer.Option("--dossiers", help="Add a unified diff of each affected person's Markdown dossier.")
    ] = False,
    packaged_templates: PackagedTemplates = False,
) -> None:
    """Report what a change claims: actors, facts, waivers and sources added, removed or changed, and whether new quotes
    verify.

    Exit 1 when a new or changed quote does not verify.
    """
    from ..reports.diff import diff_markdown_report, diff_registry

    report = diff_registry(root, base, head, dossiers, not packaged_templates)
    if fmt == DiffFormat.json:
        typer.echo(present.diff_json(report))
    elif fmt == DiffFormat.text:
        typer.echo(present.diff_text(report))
    else:
        typer.echo(diff_markdown_report(root, report, not packaged_templates).rstrip("\n"))
    raise typer.Exit(1 if report.unverified else 0)


RECORD_HELP = (
    "Also write the screening on the record: screenings/DATE.json (the list's sha256, the matcher, the threshold, "
    "every actor, candidate and judgement)."
)
SINCE_HELP = (
    "An older version of the list: report what changed for the registry's actors (listings, delistings, changed "
    "records, new candidates); exit 1 if any."
)


@command
def screen(
    file: Annotated[
        Path,
        typer.Argument(
            help="FollowTheMoney entities, one JSON object a line or a JSON array (.json, "
            ".jsonl or .gz), e.g. an OpenSanctions export."
        ),
    ],
    root: Root = Path("."),
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Lowest score shown, 0-1.",
            show_default="[screen] threshold, else 0.7 (logic-v2's)",
        ),
    ] = None,
    record: Annotated[bool, typer.Option("--record", help=RECORD_HELP)] = False,
    since: Annotated[Path | None, typer.Option("--since", help=SINCE_HELP)] = None,
) -> None:
    """List candidate matches for each actor in the registry, by name and alias across scripts, for an analyst to
    confirm.

    With --since OLD, report instead what changed between OLD and FILE for the registry's actors; exit 1 when something
    did.
    """
    from ..reports import screen as screening

    if since is not None:
        if record:
            raise UserError("--since compares two lists and --record records one screening: run them as two commands")
        changes, names = screening.watch_lists(root, file, since, threshold)
        typer.echo(
            present.list_changes_json(changes)
            if fmt == ReportFormat.json
            else present.list_changes_text(changes, names, since, file)
        )
        raise typer.Exit(1 if changes else 0)
    if not record:
        found, names = screening.screen_registry(root, file, threshold)
        typer.echo(present.screen_json(found) if fmt == ReportFormat.json else present.screen_text(found, names))
    else:
        found, names, path, written = screening.record_screening(root, file, threshold)
        typer.echo(present.screen_json(found) if fmt == ReportFormat.json else present.screen_text(found, names))
        where = present.one_line(str(path.relative_to(root) if path.is_relative_to(root) else path))
        typer.echo(
            f"Recorded the screening in {where}." if written else f"The same screening is already recorded in {where}.",
            err=fmt == ReportFormat.json,
        )


@command
def new(
    folder: Annotated[Path, typer.Argument(help="A new or empty folder for the project.")],
) -> None:
    """Create a working project in FOLDER: a registry with one person and one cited fact, one source, settings, README,
    CI workflow and pre-commit hook."""
    from ..pipeline.new import new_project

    written = new_project(folder)
    typer.echo("\n".join(present.one_line(p) for p in written))
    typer.echo(
        f"Created a project in {present.one_line(folder)}. Next: cd {present.one_line(folder)}; dossiers check; "
        "dossiers build"
    )


@command
def schema(
    name: Annotated[
        SchemaName, typer.Argument(help="actors for actors.yaml, sources for seeds/sources.yaml.")
    ] = SchemaName.actors,
) -> None:
    """Print the JSON Schema of actors.yaml or of seeds/sources.yaml."""
    import json

    from ..registry.model import json_schema

    typer.echo(json.dumps(json_schema(name.value), indent=2, ensure_ascii=False))


# the UsageError of the click that typer vendors, which it does not export
USAGE_ERROR: Any = typer.BadParameter.__mro__[1]


def run(argv: list[str] | None = None) -> None:
    """Entry point of the console script: no traceback reaches the user unless DOSSIERS_DEBUG is set."""
    try:
        code = app(sys.argv[1:] if argv is None else argv, standalone_mode=False)
    except USAGE_ERROR as error:  # typer words a bad choice "Value error, 'xml' is not one of …"
        error.message = error.message.replace("Value error, ", "")
        error.show()
        sys.exit(1)  # a user error like any other (click's own code is 2, which here means a bug)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("Interrupted; files already in the output folder are unchanged or whole.", err=True)
        sys.exit(130)
    except Exception as error:  # a bug, not bad input: say so briefly
        if os.environ.get("DOSSIERS_DEBUG"):
            raise
        typer.echo(present.internal_error(error), err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
