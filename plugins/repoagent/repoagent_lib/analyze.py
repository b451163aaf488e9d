"""Counts a repository: lines of code, comments and blanks per language, symbols and
complexity from tree-sitter syntax trees, TODO density, the largest and most complex files.
One file is in memory at a time; what is kept per file is only what the answer needs."""

import heapq
import importlib
import os
import re

from .files import looks_binary, repo_files
from .languages import GRAMMARS, comments, language_of

# Files above this are counted as skipped: generated or data, not code anyone reads.
MAX_FILE_BYTES = 4 << 20
TODO = re.compile(r"\b(TODO|FIXME|XXX|HACK)\b")

_parsers = {}


def _parser(language):
    """A tree-sitter parser for the language, or None when its grammar is not installed."""
    if language not in _parsers:
        _parsers[language] = None
        spec = GRAMMARS.get(language)
        if spec:
            try:
                import tree_sitter
                module = importlib.import_module(spec[0])
                _parsers[language] = tree_sitter.Parser(tree_sitter.Language(getattr(module, spec[1])()))
            except (ImportError, AttributeError, ValueError):
                pass
    return _parsers[language]


def count_lines(text, language):
    """(code, comment, blank) lines. A line is a comment when everything on it is comment;
    code with a trailing comment is code."""
    line_markers, blocks = comments(language)
    code = comment = blank = 0
    in_block = None
    for line in text.splitlines():
        s = line.strip()
        if not s:
            if in_block:
                comment += 1
            else:
                blank += 1
            continue
        has_code = False
        i = 0
        while i < len(s):
            if in_block:
                end = s.find(in_block, i)
                if end < 0:
                    i = len(s)
                    break
                i = end + len(in_block)
                in_block = None
                continue
            rest = s[i:]
            if any(rest.startswith(m) for m in line_markers):
                break
            opened = next((b for b in blocks if rest.startswith(b[0])), None)
            if opened:
                in_block = opened[1]
                i += len(opened[0])
                continue
            if not rest[0].isspace():
                has_code = True
            # Skip over a string literal so markers inside it do not count.
            if rest[0] in "\"'`":
                close = s.find(rest[0], i + 1)
                i = close + 1 if close > i else len(s)
                has_code = True
                continue
            i += 1
        if has_code:
            code += 1
        else:
            comment += 1
    return code, comment, blank


def symbols_and_complexity(source, language):
    """Symbols (kind, name, line) and the decision count of a file, or (None, None) when the
    language has no grammar installed."""
    parser = _parser(language)
    if parser is None:
        return None, None
    _, _, kinds, decisions = GRAMMARS[language]
    tree = parser.parse(source)
    symbols, complexity = [], 0
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        t = node.type
        if t in decisions:
            complexity += 1
        elif t in ("binary_expression", "boolean_operator"):
            op = node.child_by_field_name("operator")
            if op is not None and op.type in ("&&", "||", "and", "or"):
                complexity += 1
        if t in kinds:
            name_node = node.child_by_field_name("name") or node.child_by_field_name("type")
            name = name_node.text.decode("utf-8", "replace") if name_node is not None else ""
            symbols.append({"kind": kinds[t], "name": name, "line": node.start_point[0] + 1})
        stack.extend(reversed(node.children))
    symbols.sort(key=lambda s: s["line"])
    return symbols, complexity


def analyze(root, progress=None, with_files=False, top=10, cancelled=lambda: False):
    """The whole analysis of the repository at `root`. `progress(files_done)` is called every
    few hundred files; the walk stops early once `cancelled()`."""
    per_lang = {}
    totals = {"files": 0, "lines": 0, "code": 0, "comments": 0, "blanks": 0, "symbols": 0}
    todo = 0
    largest, complex_ = [], []
    skipped = {"binary": 0, "tooLarge": 0, "unknownLanguage": 0}
    details = []
    for n, rel in enumerate(repo_files(root), 1):
        if n % 200 == 0:
            if cancelled():
                break
            if progress:
                progress(n)
        path = os.path.join(root, rel)
        language = language_of(rel)
        if language is None:
            skipped["unknownLanguage"] += 1
            continue
        try:
            size = os.path.getsize(path)
        except OSError:
            continue
        if size > MAX_FILE_BYTES:
            skipped["tooLarge"] += 1
            continue
        if looks_binary(path):
            skipped["binary"] += 1
            continue
        with open(path, "rb") as f:
            source = f.read()
        text = source.decode("utf-8", "replace")
        code, comment, blank = count_lines(text, language)
        lines = code + comment + blank
        syms, complexity = symbols_and_complexity(source, language)
        file_todo = len(TODO.findall(text))
        todo += file_todo
        lang = per_lang.setdefault(language, {"language": language, "files": 0, "lines": 0, "code": 0,
                                              "comments": 0, "blanks": 0, "symbols": 0})
        for d in (lang, totals):
            d["files"] += 1
            d["lines"] += lines
            d["code"] += code
            d["comments"] += comment
            d["blanks"] += blank
            d["symbols"] += len(syms or ())
        heapq.heappush(largest, (lines, rel))
        if len(largest) > top:
            heapq.heappop(largest)
        if complexity is not None:
            heapq.heappush(complex_, (complexity, rel, language))
            if len(complex_) > top:
                heapq.heappop(complex_)
        if with_files:
            details.append({"path": rel, "language": language, "lines": lines, "code": code, "comments": comment,
                            "blanks": blank, "todo": file_todo, "complexity": complexity, "symbols": syms or []})
    out = dict(totals)
    out["languages"] = sorted(per_lang.values(), key=lambda d: (-d["code"], d["language"]))
    out["largest"] = [{"path": p, "lines": n} for n, p in sorted(largest, reverse=True)]
    out["mostComplex"] = [{"path": p, "complexity": c, "language": lang} for c, p, lang in sorted(complex_, reverse=True)]
    out["todo"] = {"count": todo, "perKloc": round(todo * 1000 / totals["code"], 3) if totals["code"] else 0.0}
    out["skipped"] = skipped
    if with_files:
        out["filesDetail"] = details
    return out
