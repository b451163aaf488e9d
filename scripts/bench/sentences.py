"""The benchmark corpus: 1000 short, varied English sentences made deterministically from
word lists (no data set download), shared by the ONNX Runtime baseline and, through
`bench_sentences.txt` written by `write`, the Rust benchmark."""

import random
import sys

SUBJECTS = ["The daemon", "A plugin", "The operator", "Our model", "The scheduler", "A user",
            "The index", "This service", "The cluster", "A worker", "The cache", "The client"]
VERBS = ["restarts", "loads", "indexes", "queries", "streams", "validates", "downloads",
         "rotates", "embeds", "monitors", "summarises", "rejects"]
OBJECTS = ["the embeddings", "a new API key", "every log line", "the vector index",
           "three documents", "its configuration", "the quantized model", "a chat answer",
           "the audit trail", "twelve requests", "the telemetry", "a face dataset"]
TAILS = ["quickly.", "after a crash.", "every night.", "without downtime.", "in the background.",
         "on two cores.", "before noon.", "for the admin.", "as expected.", "again.",
         "with a retry.", "while idle."]


def sentences(n: int = 1000, seed: int = 1234) -> list:
    rng = random.Random(seed)
    return [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
            for _ in range(n)]


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write("\n".join(sentences()) + "\n")
