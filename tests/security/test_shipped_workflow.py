"""The shipped workflow, run step by step on a pull request that plants template code and commits a forged build/,
and read for where it installs dossiers from: never the pull request it reviews."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from ruamel.yaml import YAML

from conftest import PROJECT

WORKFLOW = PROJECT / ".github" / "workflows" / "dossiers.yml"


def steps(trusted: bool, secrets: dict[str, str] | None = None) -> tuple[dict[str, str], list[tuple[str, str, dict[str, str]]]]:
    """The workflow's environment and its dossiers steps (name, script, environment), with the expressions GitHub would fill in.

    `secrets` are the repository's secrets as GitHub gives them to the run: none for a pull request from a fork.
    """
    secrets = secrets or {}
    workflow = YAML(typ="safe").load(WORKFLOW.read_text("utf-8"))
    expression = workflow["env"]["TEMPLATES"]
    assert expression == "${{ vars.DOSSIERS_PR_TEMPLATES == 'trusted' && '--project-templates' || '--packaged-templates' }}"
    env = {"TEMPLATES": "--project-templates" if trusted else "--packaged-templates"}

    def filled(value: str) -> str:
        for name in ("DOSSIERS_SIGN_KEY", "DOSSIERS_SIGN_PASSPHRASE"):
            value = value.replace(f"${{{{ secrets.{name} != '' }}}}", "true" if secrets.get(name) else "false")
            value = value.replace(f"${{{{ secrets.{name} }}}}", secrets.get(name, ""))
        assert "${{" not in value, f"an expression the test does not know: {value}"
        return value

    chosen = [s for s in workflow["jobs"]["review"]["steps"] if re.search(r"\bdossiers (check|diff|build|verify)\b", s.get("run", ""))]
    return env, [(s["name"], s["run"].replace("${{ github.base_ref }}", "main"), {k: filled(v) for k, v in s.get("env", {}).items()}) for s in chosen]


def pull_request(tmp_path: Path) -> tuple[Path, Path]:
    """A registry repository whose pull request adds a template that runs a command and a forged, committed build/."""
    repo, canary = tmp_path / "repo", tmp_path / "ran"
    repo.mkdir()
    shutil.copy(PROJECT / "actors.yaml", repo)
    shutil.copytree(PROJECT / "seeds", repo / "seeds")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    subprocess.run([*git, "update-ref", "refs/remotes/origin/main", "HEAD"], check=True)
    (repo / "templates").mkdir()
    for name in ("dossier.md.j2", "diff.md.j2"):
        original = (PROJECT / "templates" / name).read_text("utf-8")
        (repo / "templates" / name).write_text(f'{{{{ cycler.__init__.__globals__.os.system("touch {canary}") or "" }}}}\n' + original, "utf-8")
    forged = b"# Frederick Shava\n\nForged.\n"
    (repo / "build" / "dossiers").mkdir(parents=True)
    (repo / "build" / "dossiers" / "shava.md").write_bytes(forged)
    (repo / "build" / "manifest.json").write_text(json.dumps({"outputs": {"dossiers/shava.md": {"sha256": hashlib.sha256(forged).hexdigest(), "key": "x"}}}), "utf-8")
    subprocess.run([*git, "add", "-A", "-f"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "pull request"], check=True)
    return repo, canary


def run_steps(repo: Path, tmp_path: Path, trusted: bool, secrets: dict[str, str] | None = None) -> dict[str, int]:
    env, scripts = steps(trusted, secrets)
    summary, runner_temp = tmp_path / "summary.md", tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    base = dict(os.environ, **env, GITHUB_STEP_SUMMARY=str(summary), RUNNER_TEMP=str(runner_temp), PATH=f"{Path(os.sys.executable).parent}:{os.environ['PATH']}")
    base.pop("DOSSIERS_SIGN_PASSPHRASE", None)
    return {
        name: subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=base | step_env, capture_output=True, timeout=600).returncode
        for name, script, step_env in scripts
    }


def test_the_workflow_renders_no_template_of_the_pull_request_and_trusts_no_committed_output(tmp_path: Path):
    repo, canary = pull_request(tmp_path)
    codes = run_steps(repo, tmp_path, trusted=False)
    assert list(codes.values()) == [0, 0, 0, 0], codes
    assert not canary.exists()
    shava = (repo / "build" / "dossiers" / "shava.md").read_text("utf-8")
    assert "Forged." not in shava and shava == (PROJECT / "tests" / "golden" / "shava.md").read_text("utf-8")
    assert "The outputs are not signed" in (tmp_path / "summary.md").read_text("utf-8")


def test_a_repository_that_opts_in_renders_the_pull_requests_templates_in_the_sandbox(tmp_path: Path):
    repo, canary = pull_request(tmp_path)
    codes = run_steps(repo, tmp_path, trusted=True)
    assert [code for name, code in codes.items() if name.startswith(("Report", "Build"))] == [1, 1], codes
    assert not canary.exists()


def test_a_repository_with_a_signing_key_signs_every_pdf_and_requires_the_signatures(tmp_path: Path):
    """The secrets DOSSIERS_SIGN_KEY (PKCS#12, base64) and DOSSIERS_SIGN_PASSPHRASE: every PDF and the manifest are signed
    with the key, written outside the checkout and removed after, and verify runs with --require-signature."""
    import base64

    from pki import PASSPHRASE, make_pki

    pki = make_pki(tmp_path / "pki")
    repo, _ = pull_request(tmp_path)
    secrets = {"DOSSIERS_SIGN_KEY": base64.b64encode(pki.signer.read_bytes()).decode(), "DOSSIERS_SIGN_PASSPHRASE": PASSPHRASE}
    codes = run_steps(repo, tmp_path, trusted=False, secrets=secrets)
    assert list(codes.values()) == [0, 0, 0, 0], codes
    assert "each was verified with --require-signature" in (tmp_path / "summary.md").read_text("utf-8")
    assert (repo / "build" / "manifest.json.p7s").is_file() and b"/ByteRange" in (repo / "build" / "dossiers" / "shava.pdf").read_bytes()
    assert list((tmp_path / "runner-temp").iterdir()) == [], "the key is removed once the build is done"


BASE_REVISION = "${{ github.event.pull_request.base.sha }}"


def install(step: dict, workspace: Path, package: str) -> tuple[Path, list[str]]:
    """Run the install step as GitHub would, with sudo and pip stubbed: the folder pip ran in and its arguments."""
    stubs, log = workspace.parent / "stubs", workspace.parent / "pip.log"
    stubs.mkdir(exist_ok=True)
    (stubs / "sudo").write_text("#!/bin/sh\nexit 0\n")
    (stubs / "pip").write_text(f'#!/bin/sh\npwd > {log}\nprintf "%s\\n" "$@" >> {log}\n')
    for stub in stubs.iterdir():
        stub.chmod(0o755)
    expressions = {"${{ runner.temp }}": str(workspace.parent / "temp"), "${{ vars.DOSSIERS_PACKAGE }}": package, "${{ github.workspace }}": str(workspace)}

    def filled(text: str) -> str:
        for expression, value in expressions.items():
            text = text.replace(expression, value)
        assert "${{" not in text, f"an expression the test does not know: {text}"
        return text

    folder = Path(filled(step.get("working-directory", "pr")))
    folder = folder if folder.is_absolute() else workspace / folder
    folder.mkdir(parents=True, exist_ok=True)
    env = {"PATH": f"{stubs}:/usr/bin:/bin", "GITHUB_WORKSPACE": str(workspace)} | {k: filled(v) for k, v in step.get("env", {}).items()}
    subprocess.run(["bash", "-e", "-c", filled(step["run"])], cwd=folder, env=env, check=True)
    ran_in, *arguments = log.read_text().splitlines()
    return Path(ran_in), arguments


def test_dossiers_is_installed_from_the_base_branch_or_a_pinned_package_never_from_the_pull_request(tmp_path: Path):
    workflow = YAML(typ="safe").load(WORKFLOW.read_text("utf-8"))
    job = workflow["jobs"]["review"]
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]) for step in job["steps"] if "uses" in step), "no local action: it would run the checkout's code"
    checkouts = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)
    (head,) = [step["with"]["path"] for step in checkouts if "ref" not in step["with"]]  # GitHub's default: the pull request
    (base,) = [step for step in checkouts if step["with"].get("ref") == BASE_REVISION]
    tool = base["with"]["path"]
    assert base["if"] == "vars.DOSSIERS_PACKAGE == ''" and len(checkouts) == 2
    assert not Path(head).is_relative_to(tool) and not Path(tool).is_relative_to(head)
    assert job["defaults"]["run"]["working-directory"] == head, "the dossiers steps read the pull request as data"
    installers = [step for step in job["steps"] if re.search(r"\b(pip3?|python3?|pipx|uv|setup\.py)\b", step.get("run", ""))]
    assert len(installers) == 1, "one step installs; no other runs Python or pip"

    workspace = tmp_path / "workspace"
    ran_in, arguments = install(installers[0], workspace, package="")
    assert arguments == ["install", str(workspace / tool)] and not ran_in.is_relative_to(workspace / head)
    ran_in, arguments = install(installers[0], workspace, package="dossiers @ git+https://example.org/dossiers.git@v0.1.0")
    assert arguments == ["install", "dossiers @ git+https://example.org/dossiers.git@v0.1.0"] and not ran_in.is_relative_to(workspace / head)
