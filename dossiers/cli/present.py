"""Every text, JSON and GitHub output of the commands, and the one way errors are shown.

Text from the registry or a source reaches the terminal only through `safe_text`:
control characters are shown, and a field printed on one line cannot start another.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import asdict
from pathlib import Path

from ..errors import BadRequest, DossiersError, Problem, UserError, bounded
from ..registry.layout import SEEDS_DIR, SOURCES_FILE, project_file, real_path
from ..safe_text import github_escape, json_text, markdown_escape, one_line, terminal
from ..sources.extract import page_at
from ..verify.quotes import PDF_HYPHEN

CHOICES_SHOWN = 20  # valid choices an error lists; a registry may have thousands of ids
MAX_EXCERPT_FILE = 64 * 2**20  # a file larger than this is not read again to show the line of a problem
GITHUB_ANNOTATIONS = 10  # GitHub shows at most this many annotations of one kind per step


# -- problems ---------------------------------------------------------------------------


def display_path(root: Path, file: str) -> str:
    """The file as the user named it: joined to --root as they typed it."""
    return file if str(root) in ("", ".") else str(root / file)


def excerpt(lines: list[str], line: int, col: int) -> str:
    """The line a problem points at (of a file's `lines`), with a caret under its column."""
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1]
    if len(shown) > 160:  # keep the caret in view on very long lines
        start = max(0, col - 80)
        shown, col = shown[start : start + 160], col - start
    gutter = " " * len(str(line))
    return f" {line} | {one_line(shown)}\n {gutter} | {' ' * (col - 1)}^"


def summary(problems: list[Problem]) -> str:
    if not problems:
        return "No problems found."
    errors = sum(p.is_error for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    infos = len(problems) - errors - warnings
    notes = f", {infos} note{'s' * (infos != 1)}" if infos else ""
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}{notes}."


def problems_text(problems: list[Problem], root: Path, context: bool = True) -> str:
    """One line per problem, `file:line:col: severity code: message`, then a summary.

    With `context`, each line is followed by the offending line of the file and a caret.
    """
    out, lines = [], {}  # file → its lines, read and split once for all its problems
    for p in problems:
        out.append(
            f"{one_line(display_path(root, p.file))}:{p.line}:{p.col}: {p.severity} {p.code}: {one_line(p.message)}"
        )
        if context:
            if p.file not in lines:  # only a file of the project is shown, never what a link points to
                path = project_file(root, p.file)
                try:
                    text = (
                        path.read_text("utf-8", errors="replace")
                        if path and path.stat().st_size <= MAX_EXCERPT_FILE
                        else ""
                    )
                except OSError:
                    text = ""
                lines[p.file] = text.splitlines()
            snippet = excerpt(lines[p.file], p.line, p.col)
            if snippet:
                out.append(snippet)
    out.append(summary(problems))
    return "\n".join(out)


def problems_github(problems: list[Problem], root: Path, limit: int = GITHUB_ANNOTATIONS) -> str:
    """GitHub Actions workflow commands: the first `limit` problems as annotations, then a notice."""
    out = []
    for p in problems[:limit]:
        # GitHub matches annotations to repository paths
        file = github_escape(os.path.relpath(root / p.file), prop=True)
        title = github_escape(p.code, prop=True)
        severity = "notice" if p.severity == "info" else p.severity
        out.append(f"::{severity} file={file},line={p.line},col={p.col},title={title}::{github_escape(p.message)}")
    if len(problems) > limit:
        out.append(
            f"::notice title=dossiers check::{len(problems) - limit} more problems are not annotated: the job "
            f"summary lists all {len(problems)}"
        )
    return "\n".join(out)


def problems_markdown(problems: list[Problem], root: Path) -> str:
    """A Markdown table of every problem, for a job summary."""
    if not problems:
        return "**dossiers check**: no problems found.\n"
    rows = [
        f"**dossiers check**: {summary(problems)}",
        "",
        "| Where | Severity | Code | Message |",
        "| --- | --- | --- | --- |",
    ]
    for p in problems:
        where = markdown_escape(f"{display_path(root, p.file)}:{p.line}:{p.col}")
        rows.append(f"| {where} | {p.severity} | `{p.code}` | {markdown_escape(terminal(p.message))} |")
    return "\n".join(rows) + "\n"


def problems_json(problems: list[Problem], root: Path) -> str:
    items = [asdict(p) | {"file": display_path(root, p.file)} for p in problems]
    return json_text(items, indent=2)


# -- errors -----------------------------------------------------------------------------


def error_text(error: DossiersError, root: Path) -> str:
    """What the user reads when a command fails on their input or request."""
    if isinstance(error, UserError):
        lines = [f"error: {one_line(error.message)}"] if error.message else []
        if error.problems:
            lines.append(problems_text(error.problems, root))
        return "\n".join(lines)
    if isinstance(error, BadRequest):
        more = len(error.choices) - CHOICES_SHOWN
        listed = ", ".join(one_line(bounded(c)) for c in error.choices[:CHOICES_SHOWN]) + (
            f" and {more:,} more" if more > 0 else ""
        )
        choices = f"; choose from: {listed}" if error.choices else ""
        return f"error: {one_line(error.message)}{choices}"
    return f"error: {one_line(bounded(str(error)))}"


def internal_error(error: BaseException) -> str:
    return (
        f"internal error: {type(error).__name__}: {one_line(bounded(str(error)))}. Run with DOSSIERS_DEBUG=1 for the "
        "traceback, and please report it."
    )


# -- reports ----------------------------------------------------------------------------


def coverage_json(report, total: float) -> str:
    data = {
        "total": round(total, 1),
        "sources": [
            {
                "source": r.source,
                "file": r.file,
                "percent": round(r.percent, 1),
                "covered": len(r.covered),
                "waived": len(r.waived),
                "running_lines": r.running,
                "uncovered": [
                    {"line": s.line, "start": s.start, "end": s.end, "text": s.text, "mentions": list(s.mentions)}
                    for s in r.uncovered
                ],
            }
            for r in report
        ],
    }
    return json_text(data, indent=2)


def coverage_text(report, total: float) -> str:
    out = []
    for r in report:
        running = f"; {_count(r.running, 'line')} of running headers and footers left out" if r.running else ""
        out.append(
            f"{one_line(r.source)} ({one_line(r.file)}): {r.total - len(r.uncovered)} of {r.total} sentences naming an "
            "actor are cited or waived "
            f"({r.percent:.1f}%, {len(r.waived)} waived{running})"
        )
        for sentence in r.uncovered:
            out.append(
                f"  line {sentence.line}, uncited, names {', '.join(sentence.mentions)}: "
                f"{one_line(' '.join(sentence.text.split()))}"
            )
    out.append(f"Total: {total:.1f}%")
    return "\n".join(out)


def cite_text(source_id: str, suggestions, exact: list[bool], count: str, inside: int) -> str:
    """Citation blocks ready to paste under a fact's `citations:`: the words as they occur first (`count` of
    them), then the passages that hold them only inside longer words (`inside` of them: "Belarusian" for
    "Belarus"), counted apart."""
    found = [s for s, word_for_word in zip(suggestions, exact) if word_for_word]
    near = [s for s, word_for_word in zip(suggestions, exact) if not word_for_word]
    out = []
    if found and count != "1":
        shown = "" if count == str(len(found)) else f" (the first {len(found)} of them)"
        out.append(f"# The words occur {count} times; each block below picks one occurrence{shown}.")
    out += _blocks(source_id, found)
    if near:
        if found:
            shown = "" if inside == len(near) else f" (the first {len(near)} below)"
            out.append(
                f"# Near matches, not word for word: {_count(inside, 'more passage')} hold{'s' * (inside == 1)} "
                f"the words inside longer ones{shown}."
            )
        elif len(near) > 1:
            out.append(f"# Not found word for word; these are the {len(near)} nearest passages.")
        else:
            out.append("# Not found word for word; this is the nearest passage.")
        out += _blocks(source_id, near)
    return "\n".join(out)


_YAML_UNSAFE = re.compile("[\ufffe\uffff\ud800-\udfff]")  # what YAML cannot hold and JSON leaves as it is: escaped


def _yaml_json(value: str) -> str:
    """A JSON string, which YAML reads as a double-quoted scalar, with what YAML cannot hold escaped."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text(value))


def _blocks(source_id: str, suggestions) -> list[str]:
    out = []
    for suggestion in suggestions:
        out.append(f"# {suggestion.passage.place}, characters {suggestion.passage.start}-{suggestion.passage.end}")
        out.append(f"      - source: {source_id}")
        for key in ("quote", "prefix", "suffix"):
            value = getattr(suggestion, key)
            if value:
                out.append(f"        {key}: {one_line(_yaml_json(value))}")
    return out


def source_text(report) -> str:
    """Each line of the text numbered as notes and errors number it; a PDF's lines also give their page, and its
    running headers and footers are marked with a ~ after the number (coverage leaves them out), and PDFium's mark
    of a hyphen at a line's end (U+FFFE, which YAML cannot hold) is shown as the hyphen the page prints."""
    extracted = report.extracted
    lines = extracted.text.split("\n")
    width = len(str(len(lines)))
    running = {start for start, _ in report.running}
    out = [
        f"# {one_line(report.source.id)} ({one_line(report.source.file)}): {extracted.format}, extracted by "
        f"{extracted.extractor}" + (f", from the page's {extracted.origin}" if extracted.origin else "")
    ]
    offset = 0
    for number, line in enumerate(lines, 1):
        page = page_at(extracted.pages, offset)
        prefix = f"p. {page:<3} " if page else ""
        mark = "~" if offset in running else " "
        out.append(f"{prefix}{number:>{width}} {mark}{terminal(line.replace(PDF_HYPHEN, '-'))}".rstrip())
        offset += len(line) + 1
    if running:
        out.append(
            f"# ~ marks the {len(running)} lines of running headers and footers (the same line, digits aside, "
            "at the top or bottom of most pages): coverage leaves them out"
        )
    return "\n".join(out)


def serving(root: Path, url: str) -> str:
    return f"Serving {one_line(real_path(root))} at {url}; watching actors.yaml, seeds/ and templates/ (Ctrl-C to stop)"


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def _signature(signature) -> str:
    """'signed by NAME, trusted|NOT trusted|not checked against a trust anchor, PAdES B-T, at TIME…, timestamp TIME by
    TSA'."""
    if signature is None:
        return "not signed"
    trust = {True: "trusted", False: "NOT trusted", None: "not checked against a trust anchor"}[signature.trusted]
    out = (
        f"signed by {one_line(signature.signer)}, {trust}, "
        f"{'PAdES ' if signature.level.startswith('B-') else ''}{signature.level}"
    )
    if signature.signed_at:
        out += f", at {signature.signed_at} as the signer says"
    if signature.timestamp:
        out += f", timestamp {one_line(signature.timestamp)}"
    return out


def verification(path: Path, result) -> str:
    """'signed by …; N claims on N pages, N quotes verified against N embedded sources[, N list records as the attached
    list has them]', or what fails."""
    verified = (
        f"{result.verified:,} of {_count(result.quotes, 'quote')}"
        if result.verified != result.quotes
        else _count(result.quotes, "quote")
    )
    head = f"{one_line(path)}: {'FAILED: ' if result.failures else ''}{_signature(result.signature)}; "
    head += (
        f"{_count(result.claims, 'claim')} on {_count(result.pages, 'page')}, {verified} verified against "
        f"{_count(result.sources, 'embedded source')}"
    )
    if result.listings:
        head += (
            f", {_count(result.listings, 'list record')} as the attached list has "
            f"{'it' if result.listings == 1 else 'them'}"
        )
    out = [head]
    out += [f"  fails: {one_line(line)}" for line in result.failures]
    out += [f"  note: {one_line(line)}" for line in result.notes]
    return "\n".join(out)


def folder_verification(path: Path, result) -> str:
    """'DIR: signed by …; N files as manifest.json records them', or what fails."""
    out = [
        f"{one_line(path)}: {'FAILED: ' if result.failures else ''}{_signature(result.signature)}; "
        f"{_count(result.files, 'file')} as manifest.json records them"
    ]
    out += [f"  fails: {one_line(line)}" for line in result.failures]
    out += [f"  note: {one_line(line)}" for line in result.notes]
    return "\n".join(out)


def signed(key) -> str:
    """What signing a build did, and what it changes: the signing time makes signed PDFs differ from build to build."""
    return (
        f"Signed every new PDF and manifest.json as {one_line(key.describe())}. "
        "A signed PDF differs from one build to the next by its signature and signing time only; unsigned builds are "
        "byte for byte the same."
    )


def added_source(added) -> str:
    """What add-source recorded, where each value came from, and what is left to the analyst."""
    source = added.source
    out = [
        f"Added source '{one_line(source.id)}': {SEEDS_DIR}/{one_line(source.file)} ({added.format}, sha256 "
        f"{source.sha256})" + ("" if added.copied else f", already in {SEEDS_DIR}/")
    ]
    for key, found in added.inferred.items():
        out.append(f"  {key}: {one_line(str(getattr(source, key)))}  (from {one_line(found.where)})")
    out += [f"  note: {one_line(line)}" for line in added.skipped]
    out.append(f"Still to fill in or check in {SOURCES_FILE}: {', '.join(added.to_fill)}.")
    if added.format == "ftm":
        out.append(
            f"A list has no text to quote: confirm its entities on the actors they are, sameAs: [{{source: "
            f"{one_line(source.id)}, id: ENTITY-ID, note: ...}}]"
        )
    else:
        out.append(f"See its text with: dossiers text {one_line(source.id)}")
    return "\n".join(out)


def screen_json(found: dict) -> str:
    rows = [
        {
            "actor": a,
            "candidate_id": c.candidate_id,
            "names": list(c.names),
            "score": c.score,
            "topics": list(c.topics),
            "why": list(c.why),
            "confirmed": c.confirmed,
        }
        for a, cs in found.items()
        for c in cs
    ]
    return json_text(rows, indent=2)


def screen_text(found: dict, names: dict[str, str]) -> str:
    out = []
    for actor_id, candidates in found.items():
        out.append(
            f"{one_line(names[actor_id])} ({actor_id}): {len(candidates) or 'no'} "
            f"candidate{'s' * (len(candidates) != 1)}"
        )
        for c in candidates:
            topics = f" [{', '.join(one_line(t) for t in c.topics)}]" if c.topics else ""
            mark = "  confirmed (sameAs)" if c.confirmed else ""
            out.append(f"  {c.score:.2f}  {one_line(c.candidate_id)}  {one_line('; '.join(c.names[:4]))}{topics}{mark}")
            out.extend(f"        {one_line(line)}" for line in c.why)
    out.append(
        "Candidates are leads for an analyst to confirm, not matches: record a verdict as sameAs or notSame on "
        "the actor."
    )
    return "\n".join(out)


def list_changes_json(changes: list) -> str:
    return json_text([asdict(c) for c in changes], indent=2)


def list_changes_text(changes: list, names: dict[str, str], old, new) -> str:
    if not changes:
        return f"No changes for the registry's actors between {one_line(str(old))} and {one_line(str(new))}."
    out = [f"Changes for the registry's actors between {one_line(str(old))} and {one_line(str(new))}: {len(changes)}"]
    actor = None
    for c in changes:
        if c.actor != actor:
            actor = c.actor
            out.append(f"{one_line(names.get(actor, actor))} ({one_line(actor)}):")
        record = f" record {one_line(c.record)}" if c.record else ""
        out.append(f"  {c.change}: {one_line(c.entity)}{record}: {one_line(c.detail)}")
    return "\n".join(out)


def diff_json(report) -> str:
    return json_text(asdict(report), indent=2, default=str)


def diff_text(report) -> str:
    """The report as plain text, most important first; every registry value on one line."""
    if not report.changes:
        return f"No changes to the registry between {one_line(report.base)} and {one_line(report.head)}."
    out = [f"Registry changes: {one_line(report.base)} -> {one_line(report.head)}"]
    for change in report.changes:
        mark = "! " if change.flagged else "  "
        out.append(f"{mark}{change.change} {change.what} {change.id}: {one_line(change.label)}")
        for f in change.fields:
            old, new = (one_line(value) for value in f.shown)
            if f.items:
                parts = ([f"removed {old}"] if f.old else []) + ([f"added {new}"] if f.new else [])
                out.append(f"      {one_line(f.field)}: {'; '.join(parts)}")
            else:
                out.append(f"      {one_line(f.field)}: {old} -> {new}")
        for check in change.citations:
            state = "verified" if check.verified else f"DOES NOT VERIFY ({one_line(check.problem)})"
            out.append(f'      quote in {check.source}, {state}: "{one_line(check.quote)}"')
        for warning in change.warnings:
            out.append(f"      warning {one_line(warning)}")
    for person, text in report.dossiers.items():
        out += ["", f"Dossier of {person}:", terminal(text.rstrip("\n"))]
    if report.dossiers_note:
        out += ["", report.dossiers_note]
    out.append(f"{len(report.changes)} change(s); {report.unverified} new or changed quote(s) do not verify.")
    return "\n".join(out)


# -- progress ---------------------------------------------------------------------------


def notice(text: str) -> None:
    """A warning or a wait, on stderr, on one line of its own."""
    print(one_line(text), file=sys.stderr, flush=True)


def progress_reporter():
    """(start, stop): a rich progress bar on a terminal, plain lines on stderr otherwise."""
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
            print(f"{label}: {count[0]}/{total}", file=sys.stderr, flush=True)

        return done

    return start_plain, lambda: None
