#!/usr/bin/env python3
"""The repoagent plugin: analyses and searches local repositories.

  code.analyze  languages, files, lines of code, comments and blanks, symbols (tree-sitter),
                largest and most complex files, TODO density, git facts; streams progress
  code.search   regex (honours .gitignore, bounded in time) or semantic (code embedded through
                llmserver and indexed in brainml, refreshed by file hash; calls made for the
                user who asked)
  stats         what it analysed and searched, for the dashboards

Repositories are folders an admin allowed the plugin (`[supervisor.allowed_paths]
repoagent = [...]` in bkgd's config) or inside its data folder; nothing else is read.
"""

import asyncio
import os
import time

from bkg_plugin import CALLBACKS, METRICS, Plugin, PluginError, bad_input, log
from repoagent_lib.analyze import analyze
from repoagent_lib.gitfacts import git_facts
from repoagent_lib.search import regex_search
from repoagent_lib.semantic import Index

plugin = Plugin("repoagent", "0.2.0").feature(CALLBACKS).feature(METRICS)
stats = {"analyses": 0, "searches": 0, "semanticSearches": 0, "lastAnalysis": None}


def folder(ctx, data):
    path = ctx.resolve_path(data["path"])
    if not os.path.isdir(path):
        raise bad_input("path %r is not a folder" % data["path"])
    return path


@plugin.capability(
    "code.analyze", streaming=True,
    description="Counts a repository: files, lines (code, comments, blanks) per language, symbols, the largest and most complex files, TODO density, git facts; progress as chunks",
    input_schema={"type": "object", "additionalProperties": False, "required": ["path"],
                  "properties": {"path": {"type": "string", "minLength": 1},
                                 "files": {"type": "boolean", "description": "Include per-file details (symbols)"},
                                 "churnDays": {"type": "integer", "minimum": 1, "maximum": 3650}}})
async def code_analyze(ctx, data):
    root = folder(ctx, data)
    started = time.monotonic()
    loop = asyncio.get_running_loop()

    def progress(n):
        if not ctx.cancelled:
            ctx.chunk({"progress": {"files": n}})

    out = await loop.run_in_executor(None, lambda: analyze(root, progress, with_files=bool(data.get("files")),
                                                           cancelled=lambda: ctx.cancelled))
    out["git"] = await loop.run_in_executor(None, lambda: git_facts(root, data.get("churnDays", 90)))
    out["path"] = data["path"]
    out["seconds"] = round(time.monotonic() - started, 3)
    stats["analyses"] += 1
    stats["lastAnalysis"] = {"path": data["path"], "files": out["files"], "code": out["code"], "seconds": out["seconds"]}
    ctx.report_metrics({"analyses": stats["analyses"]})
    return out


@plugin.capability(
    "code.search", streaming=True,
    description="Searches a repository: mode regex (lines with context, .gitignore honoured, bounded time) or semantic (nearest code chunks, through llmserver and brainml)",
    input_schema={"type": "object", "additionalProperties": False, "required": ["path", "query"],
                  "properties": {"path": {"type": "string", "minLength": 1}, "query": {"type": "string", "minLength": 1},
                                 "mode": {"enum": ["regex", "semantic"]},
                                 "k": {"type": "integer", "minimum": 1, "maximum": 100},
                                 "maxResults": {"type": "integer", "minimum": 1, "maximum": 10000},
                                 "context": {"type": "integer", "minimum": 0, "maximum": 20},
                                 "glob": {"type": "string"},
                                 "timeoutMs": {"type": "integer", "minimum": 1, "maximum": 600000}}})
async def code_search(ctx, data):
    root = folder(ctx, data)
    mode = data.get("mode", "regex")
    stats["searches"] += 1
    if mode == "regex":
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(None, lambda: regex_search(
                root, data["query"], data.get("maxResults", 100), data.get("context", 2),
                data.get("timeoutMs", 10000) / 1000.0, data.get("glob")))
        except ValueError as e:
            raise bad_input(str(e)) from None
    stats["semanticSearches"] += 1
    index = Index(ctx, root)
    refreshed = await index.refresh(lambda p: ctx.chunk({"progress": p}))
    log.info("semantic index refreshed", path=data["path"], **refreshed)
    return {"results": await index.query(data["query"], data.get("k", 5)), "index": refreshed,
            "collection": index.collection}


@plugin.capability("stats", description="Analyses and searches done, the last analysis",
                   input_schema={"type": "object", "additionalProperties": False})
def plugin_stats(ctx, data):
    return stats


if __name__ == "__main__":
    plugin.main()
