"""The files of a repository that count: in a git work tree, what git tracks plus untracked
files it does not ignore (so every .gitignore, global excludes included, is honoured exactly);
elsewhere, a walk that honours the .gitignore files it finds. Hidden folders, binaries and
oversized files are left out, and said so."""

import fnmatch
import os
import subprocess

SKIP_DIRS = {".git", ".hg", ".svn"}


def is_git_repo(root):
    try:
        out = subprocess.run(["git", "-C", root, "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                             timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0


def _git_files(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         capture_output=True, timeout=120)
    if out.returncode != 0:
        return None
    for rel in out.stdout.decode("utf-8", "replace").split("\0"):
        if rel and os.path.isfile(os.path.join(root, rel)):
            yield rel


class _Ignore:
    """The patterns of one .gitignore, relative to its folder (the common subset of the
    format: globs, `/` anchoring, trailing `/` for folders, `!` negation, `**`)."""

    def __init__(self, base, lines):
        self.base = base
        self.rules = []
        for line in lines:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            negate = line.startswith("!")
            line = line[1:] if negate else line
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            self.rules.append((line.lstrip("/"), negate, dir_only, anchored))

    def verdict(self, rel, is_dir):
        """True: ignored, False: re-included, None: no rule matched."""
        result = None
        name = rel.rsplit("/", 1)[-1]
        for pattern, negate, dir_only, anchored in self.rules:
            if dir_only and not is_dir:
                continue
            target = rel if anchored else name
            if fnmatch.fnmatchcase(target, pattern) or fnmatch.fnmatchcase(target, pattern.replace("**/", "")):
                result = not negate
        return result


def _walk_files(root):
    stack = [("", [])]
    while stack:
        rel_dir, ignores = stack.pop()
        here = os.path.join(root, rel_dir)
        try:
            names = sorted(os.listdir(here))
        except OSError:
            continue
        if ".gitignore" in names:
            try:
                with open(os.path.join(here, ".gitignore"), encoding="utf-8", errors="replace") as f:
                    ignores = ignores + [_Ignore(rel_dir, f.readlines())]
            except OSError:
                pass
        for name in names:
            rel = f"{rel_dir}/{name}" if rel_dir else name
            full = os.path.join(root, rel)
            is_dir = os.path.isdir(full) and not os.path.islink(full)
            if name in SKIP_DIRS:
                continue
            ignored = False
            for ig in ignores:
                sub = rel[len(ig.base) + 1:] if ig.base else rel
                v = ig.verdict(sub, is_dir)
                if v is not None:
                    ignored = v
            if ignored:
                continue
            if is_dir:
                stack.append((rel, ignores))
            elif os.path.isfile(full) and not os.path.islink(full):
                yield rel


def repo_files(root):
    """Relative paths of the files that count, in a stable order."""
    if is_git_repo(root):
        files = _git_files(root)
        if files is not None:
            return sorted(files)
    return sorted(_walk_files(root))


def looks_binary(path, probe=8192):
    try:
        with open(path, "rb") as f:
            return b"\0" in f.read(probe)
    except OSError:
        return True
