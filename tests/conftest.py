"""Shared fixtures: a throw-away copy of the project's registry and sources."""

from __future__ import annotations

import fcntl
import hashlib
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossiers.cli.app import app

PROJECT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output (review the diff!).")


@pytest.fixture(scope="session", autouse=True)
def text_cache(tmp_path_factory):
    """The user's text cache, for this test run: a folder of its own, never ~/.cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOSSIERS_CACHE_DIR", str(tmp_path_factory.mktemp("user-cache")))
        yield


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def shared_once(tmp_path_factory, worker_id: str, name: str, make) -> Path:
    """A folder made once for the whole test run, even across xdist workers: the first makes it, the others wait."""
    base = tmp_path_factory.getbasetemp()
    root = base if worker_id == "master" else base.parent
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
            (folder / "done").touch()
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id) -> Path:
    """The project built once per test run: every dossier and the pack (handling OFFICIAL), in every format."""
    from dossiers.pipeline.build import build
    from dossiers.views.briefing import PackOptions

    def make(out: Path) -> None:
        build(PROJECT, out=out, formats=["md", "pdf", "html"], jobs=2, pack=PackOptions(handling="OFFICIAL"))

    return shared_once(tmp_path_factory, worker_id, "built", make)


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a fixed author, with nothing of the user's configuration; its output."""
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def repo(project: Path) -> Path:
    """The project in git: its main branch holds the registry, a branch 'pr' is checked out."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "registry")
    git(project, "checkout", "-q", "-b", "pr")
    return project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of actors.yaml and seeds/ that a test may break."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(PROJECT / "actors.yaml", root / "actors.yaml")
    shutil.copytree(PROJECT / "seeds", root / "seeds")
    return root


def run(*args: str):
    """Run the CLI in-process; returns the click Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def uninstall(monkeypatch, package: str) -> None:
    """Make `import package` (and its submodules) fail for the rest of the test, as if the extra that brings it were not installed."""
    import builtins

    real_import = builtins.__import__

    def without(name, *args, **kwargs):
        if name == package or name.startswith(package + "."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without)


def position(path: Path, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of `needle` in a file."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


def add_seed(project: Path, name: str, raw: bytes) -> str:
    """Put `raw` in seeds/NAME and register it as a source; its id is the name's stem."""
    (project / "seeds" / name).write_bytes(raw)
    source_id = Path(name).stem
    registry = project / "seeds" / "sources.yaml"
    entry = f"\n  - id: {source_id}\n    file: {name}\n    sha256: {hashlib.sha256(raw).hexdigest()}\n    title: Added\n    publisher: Nobody\n    language: en\n    reliability: F\n"
    registry.write_text(registry.read_text("utf-8") + entry, "utf-8")
    return source_id


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture
def loopback_server():
    """An HTTP server on 127.0.0.1 that records every request it receives."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
