"""Prints the table of a `scripts/bench/run` results file (JSON lines): ours, the baseline and
the ratio for each benchmark and thread count.

Usage: python report.py RESULTS.jsonl
"""

import json
import sys


def main() -> None:
    rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    ours = {(r["bench"], r["threads"]): r for r in rows if r["impl"].startswith("bkg-mlkit")}
    base = {(r["bench"], r["threads"]): r for r in rows if not r["impl"].startswith("bkg-mlkit")}
    print(f"{'benchmark':<34}{'threads':>8}{'bkg-mlkit':>12}{'baseline':>12}{'ratio':>8}  baseline")
    for (bench, threads), mine in sorted(ours.items()):
        other = base.get((bench, threads))
        if other is None:
            continue
        metrics = (
            [("embeddings, sentences/s", "sentences_per_s")]
            if bench == "embed"
            else [("chat prompt, tok/s", "prompt_tok_per_s"), ("chat decode, tok/s", "decode_tok_per_s")]
        )
        for label, key in metrics:
            a, b = mine[key], other[key]
            print(f"{label:<34}{threads:>8}{a:>12.1f}{b:>12.1f}{a / b:>8.2f}  {other['impl']}")
        if bench == "chat":
            same = sum(1 for _ in zip(mine["tokens"], other["tokens"]) if _[0] == _[1])
            prefix = next((i for i, (x, y) in enumerate(zip(mine["tokens"], other["tokens"])) if x != y), len(mine["tokens"]))
            print(f"{'  greedy tokens equal to llama.cpp':<34}{threads:>8}{prefix:>12} of {len(mine['tokens'])} (leading), {same} in all")


if __name__ == "__main__":
    main()
