"""repoagent's analysis on a committed fixture with known counts, in a plain folder and as a
git repository: lines per language, symbols, complexity, TODOs, .gitignore, git facts, regex
search."""

import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from repoagent_lib.analyze import analyze, count_lines  # noqa: E402
from repoagent_lib.files import repo_files  # noqa: E402
from repoagent_lib.gitfacts import git_facts  # noqa: E402
from repoagent_lib.search import regex_search  # noqa: E402


@pytest.fixture(params=["folder", "git"])
def repo(request, tmp_path):
    """The fixture as a plain folder, and as a git work tree with one commit."""
    root = tmp_path / "fixture"
    shutil.copytree(os.path.join(HERE, "fixture"), root)
    (root / "dot-gitignore").rename(root / ".gitignore")
    if request.param == "git":
        env = dict(os.environ, GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="ada@example.org",
                   GIT_COMMITTER_NAME="Ada", GIT_COMMITTER_EMAIL="ada@example.org")
        for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "the fixture"]):
            subprocess.run(["git", "-C", str(root), *cmd], check=True, env=env)
    return str(root)


def test_counts_per_language_are_exact(repo):
    r = analyze(repo)
    assert (r["files"], r["lines"], r["code"], r["comments"], r["blanks"]) == (5, 140, 100, 14, 26)
    by = {d["language"]: (d["files"], d["lines"], d["code"], d["comments"], d["blanks"], d["symbols"]) for d in r["languages"]}
    assert by == {
        "Rust": (1, 42, 31, 4, 7, 7),
        "Go": (1, 36, 27, 4, 5, 4),
        "JavaScript": (1, 31, 22, 4, 5, 4),
        "Python": (1, 28, 18, 2, 8, 4),
        "Markdown": (1, 3, 2, 0, 1, 0),
    }
    assert r["symbols"] == 19
    assert r["todo"] == {"count": 2, "perKloc": 20.0}
    assert r["largest"][0] == {"path": "net/http_client.rs", "lines": 42}
    assert r["mostComplex"][0] == {"path": "net/http_client.rs", "complexity": 4, "language": "Rust"}


def test_gitignore_is_honoured(repo):
    files = repo_files(repo)
    assert "debug.log" not in files and not any(f.startswith(("vendor/", "build/out/")) for f in files)
    assert "net/http_client.rs" in files


def test_symbols_per_file(repo):
    detail = {f["path"]: f for f in analyze(repo, with_files=True)["filesDetail"]}
    assert [(s["kind"], s["name"], s["line"]) for s in detail["auth/password.py"]["symbols"]] == [
        ("class", "PasswordHasher", 10), ("function", "hash", 13), ("function", "verify", 18),
        ("function", "strong_enough", 26)]
    assert [s["name"] for s in detail["storage/cache.go"]["symbols"]] == ["Cache", "entry", "NewCache", "Put"]


def test_git_facts_only_in_a_git_repo(repo):
    facts = git_facts(repo)
    if not os.path.isdir(os.path.join(repo, ".git")):
        assert facts is None
        return
    assert facts["lastCommit"]["subject"] == "the fixture"
    assert facts["topAuthors"] == [{"author": "Ada <ada@example.org>", "commits": 1}]
    assert facts["churn"]["commits"] == 1 and facts["churn"]["added"] == 143


def test_regex_search_finds_lines_with_context_and_skips_ignored_files(repo):
    out = regex_search(repo, r"retr(y|ies)")
    hits = [(h["path"], h["line"]) for h in out["results"]]
    assert ("net/http_client.rs", 1) in hits and ("net/http_client.rs", 18) in hits
    assert all(p != "debug.log" for p, _ in hits), "the ignored log is not searched"
    first = out["results"][0]
    assert first["after"] and isinstance(first["before"], list)
    assert not out["truncated"] and not out["timedOut"]
    assert len(regex_search(repo, ".", max_results=3)["results"]) == 3
    with pytest.raises(ValueError):
        regex_search(repo, "(unclosed")


def test_comment_rules():
    assert count_lines("a = 1  # trailing\n# whole\n\n", "Python") == (1, 1, 1)
    assert count_lines("/* a\n\n b */ x();\ny('/*');\n", "JavaScript") == (2, 2, 0)
