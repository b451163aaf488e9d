"""Semantic search over a repository's code: files are cut into chunks, embedded through
llmserver's `embeddings` and indexed in a brainml collection (plugin-to-plugin calls made for
the user who asked), refreshed incrementally by file hash. A query is embedded the same way and
answered by brainml's nearest-neighbour search."""

import hashlib
import os

from .files import looks_binary, repo_files
from .languages import GRAMMARS, language_of

CHUNK_LINES = 40
BATCH = 32
MAX_FILE_BYTES = 1 << 20


def collection_for(root):
    return "repoagent-" + hashlib.sha1(os.path.realpath(root).encode()).hexdigest()[:12]


def chunks(rel, text):
    """Pieces of about CHUNK_LINES lines, cut at blank lines where possible: (start, end, text)."""
    lines = text.splitlines()
    out, start = [], 0
    while start < len(lines):
        end = min(start + CHUNK_LINES, len(lines))
        if end < len(lines):
            blank = next((i for i in range(end, max(start + CHUNK_LINES // 2, start + 1), -1) if not lines[i - 1].strip()), None)
            end = blank or end
        body = "\n".join(lines[start:end]).strip()
        if body:
            out.append((start + 1, end, f"{rel}\n{body}"[:2000]))
        start = end
    return out


def _code_files(root):
    for rel in repo_files(root):
        lang = language_of(rel)
        if lang not in GRAMMARS and lang not in ("C", "C++", "Java", "Shell", "SQL"):
            continue
        path = os.path.join(root, rel)
        try:
            if os.path.getsize(path) > MAX_FILE_BYTES or looks_binary(path):
                continue
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        yield rel, data


class Index:
    """One repository's chunks in brainml, through calls made by `ctx` (the SDK's request
    context, so the calls are made for the request's user)."""

    def __init__(self, ctx, root):
        self.ctx = ctx
        self.root = root
        self.collection = collection_for(root)

    async def _existing(self):
        """path -> (file hash, [chunk ids]) of what the collection holds."""
        have, after = {}, None
        while True:
            page = await self.ctx.call_async("documents.list", {"collection": self.collection, "after": after,
                                                                 "limit": 500, "with_embeddings": False})
            for d in page["documents"]:
                m = d.get("metadata") or {}
                entry = have.setdefault(m.get("path"), [m.get("sha"), []])
                entry[1].append(d["id"])
            after = page.get("next")
            if not after:
                return have

    async def _embed(self, texts):
        out = await self.ctx.invoke_plugin_async("llmserver", "embeddings", {"input": texts})
        return out["embeddings"]

    async def refresh(self, progress):
        """Brings the collection up to date; returns counts of what changed."""
        have = await self._existing()
        stale, pending = [], []
        seen = set()
        files = changed = added_chunks = 0
        for rel, data in _code_files(self.root):
            files += 1
            seen.add(rel)
            sha = hashlib.sha256(data).hexdigest()
            old = have.get(rel)
            if old and old[0] == sha:
                continue
            changed += 1
            if old:
                stale.extend(old[1])
            key = hashlib.sha1(rel.encode()).hexdigest()[:16]
            for n, (start, end, text) in enumerate(chunks(rel, data.decode("utf-8", "replace"))):
                pending.append({"id": f"{key}:{n}", "text": text,
                                "metadata": {"path": rel, "sha": sha, "startLine": start, "endLine": end}})
            while len(pending) >= BATCH:
                added_chunks += await self._index(pending[:BATCH], stale)
                stale = []
                del pending[:BATCH]
                progress({"stage": "indexing", "files": files, "chunks": added_chunks})
        stale.extend(i for rel, (_, ids) in have.items() if rel not in seen for i in ids)
        if pending or stale:
            added_chunks += await self._index(pending, stale)
        return {"files": files, "changedFiles": changed, "chunksIndexed": added_chunks,
                "removedFiles": sum(1 for rel in have if rel not in seen)}

    async def _index(self, docs, stale):
        if docs:
            vectors = await self._embed([d["text"] for d in docs])
            for d, v in zip(docs, vectors):
                d["embedding"] = v
        if not docs and not stale:
            return 0
        await self.ctx.invoke_plugin_async("brainml", "index", {"collection": self.collection, "documents": docs,
                                                               "deleteIds": stale})
        return len(docs)

    async def query(self, text, k):
        [vector] = await self._embed([text])
        out = await self.ctx.invoke_plugin_async("brainml", "query", {"collection": self.collection, "vector": vector,
                                                                     "k": k})
        return [{"path": h["metadata"]["path"], "startLine": h["metadata"]["startLine"],
                 "endLine": h["metadata"]["endLine"], "score": h["score"],
                 "preview": h["text"].split("\n", 1)[-1][:400]} for h in out["hits"]]
