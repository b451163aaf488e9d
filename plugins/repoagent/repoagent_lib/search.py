"""Regex search over the files that count (.gitignore honoured), bounded in time and in
results, with context lines."""

import os
import re
import time

from .files import looks_binary, repo_files

MAX_FILE_BYTES = 4 << 20


def regex_search(root, pattern, max_results=100, context=2, timeout_s=10.0, glob=None):
    try:
        rx = re.compile(pattern)
    except re.error as e:
        raise ValueError(f"query is not a valid regular expression: {e}") from None
    deadline = time.monotonic() + timeout_s
    results, files_searched, timed_out, truncated = [], 0, False, False
    import fnmatch
    for rel in repo_files(root):
        if glob and not fnmatch.fnmatchcase(rel, glob):
            continue
        if time.monotonic() > deadline:
            timed_out = True
            break
        path = os.path.join(root, rel)
        try:
            if os.path.getsize(path) > MAX_FILE_BYTES or looks_binary(path):
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        files_searched += 1
        for i, line in enumerate(lines):
            if rx.search(line):
                results.append({"path": rel, "line": i + 1, "text": line,
                                "before": lines[max(0, i - context):i], "after": lines[i + 1:i + 1 + context]})
                if len(results) >= max_results:
                    truncated = True
                    break
        if truncated:
            break
    return {"results": results, "filesSearched": files_searched, "truncated": truncated, "timedOut": timed_out}
