"""ONNX Runtime baseline for the embedding benchmark: all-MiniLM-L6-v2 (fp32 ONNX export) on
the CPU execution provider, end to end as sentence-transformers computes it (length-sorted
batches, HF tokenizers with truncation at 256 and padding to the longest, mean pooling over the
attention mask, L2 norm). Prints one JSON line.

Usage: python bench_embed_ort.py ONNX MODEL_DIR SENTENCES_FILE --threads N [--batch 32] [--repeat 3]
"""

import argparse
import json
import time

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("onnx")
    ap.add_argument("model_dir")
    ap.add_argument("sentences")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    with open(args.sentences, encoding="utf-8") as f:
        sentences = [line.rstrip("\n") for line in f if line.strip()]
    tok = Tokenizer.from_file(f"{args.model_dir}/tokenizer.json")
    tok.enable_truncation(256)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(args.onnx, opts, providers=["CPUExecutionProvider"])

    def embed_all() -> np.ndarray:
        order = np.argsort([-len(s) for s in sentences], kind="stable")
        out = np.empty((len(sentences), 384), dtype=np.float32)
        for start in range(0, len(order), args.batch):
            idx = order[start : start + args.batch]
            enc = tok.encode_batch([sentences[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            types = np.array([e.type_ids for e in enc], dtype=np.int64)
            (hidden,) = sess.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[idx] = pooled
        return out

    embed_all()  # warm-up
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        embed_all()
        times.append(time.perf_counter() - t0)
    best = min(times)
    print(json.dumps({
        "bench": "embed", "impl": f"onnxruntime {ort.__version__} fp32", "threads": args.threads,
        "sentences": len(sentences), "batch": args.batch,
        "seconds": sorted(times), "sentences_per_s": len(sentences) / best,
    }))


if __name__ == "__main__":
    main()
