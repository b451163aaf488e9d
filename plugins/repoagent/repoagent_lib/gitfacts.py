"""Facts git knows about a repository: the last commit, the top authors, and churn (lines
added and removed) over a recent window."""

import subprocess


def _git(root, *args, timeout=60):
    out = subprocess.run(["git", "-C", root, *args], capture_output=True, text=True, timeout=timeout)
    return out.stdout if out.returncode == 0 else None


def git_facts(root, since_days=90, top=5):
    """None when `root` is not in a git work tree (or has no commit yet)."""
    last = _git(root, "log", "-1", "--format=%H%x1f%an%x1f%aI%x1f%s")
    if not last:
        return None
    sha, author, date, subject = last.strip().split("\x1f", 3)
    authors = []
    for line in (_git(root, "shortlog", "-sne", "HEAD") or "").splitlines():
        count, _, who = line.strip().partition("\t")
        if who:
            authors.append({"author": who, "commits": int(count)})
    added = removed = commits = 0
    # split("\n"), not splitlines(): the latter also splits at the \x1e record separator.
    for line in (_git(root, "log", f"--since={since_days}.days", "--numstat", "--format=%x1e") or "").split("\n"):
        if line == "\x1e":
            commits += 1
            continue
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
            added += int(parts[0])
            removed += int(parts[1])
    return {
        "lastCommit": {"sha": sha, "author": author, "date": date, "subject": subject},
        "commits": int((_git(root, "rev-list", "--count", "HEAD") or "0").strip() or 0),
        "topAuthors": authors[:top],
        "churn": {"days": since_days, "commits": commits, "added": added, "removed": removed},
    }
