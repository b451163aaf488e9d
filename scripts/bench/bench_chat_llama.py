"""llama.cpp baseline for the chat benchmark (llama-cpp-python): the benchmark conversation
rendered with the GGUF's chat template, prompt evaluated in one batch, then greedy decoding of
exactly N new tokens (argmax of the logits; end-of-generation is not a stop, so both sides do
the same work). Wall-clock times around llama-cpp-python's eval() calls (llama.cpp's own perf
counters read 0 through these bindings). Prints one JSON line.

Usage: python bench_chat_llama.py GGUF --threads N [--new-tokens 64] [--repeat 3]
"""

import argparse
import json
import time

import llama_cpp
import numpy as np
from llama_cpp import Llama
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

# Keep in sync with examples/bench.rs (BENCH_MESSAGES).
MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant who writes vivid short stories."},
    {"role": "user", "content": "Write a short story about a lighthouse keeper who finds a message in a bottle."},
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gguf")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    llm = Llama(model_path=args.gguf, n_ctx=2048, n_batch=512, n_threads=args.threads,
                n_threads_batch=args.threads, seed=0, verbose=False)
    eos = llm._model.token_get_text(llm.token_eos())
    bos = llm._model.token_get_text(llm.token_bos())
    fmt = Jinja2ChatFormatter(llm.metadata["tokenizer.chat_template"], eos_token=eos, bos_token=bos)
    prompt = llm.tokenize(fmt(messages=MESSAGES).prompt.encode("utf-8"), add_bos=False, special=True)

    n_vocab = llm.n_vocab()

    def next_token() -> int:
        # Logits of the last evaluated position, read in place (without logits_all the
        # bindings do not copy them into `Llama.scores`).
        return int(np.argmax(np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(n_vocab,))))

    def run():
        llm.reset()
        t0 = time.perf_counter()
        llm.eval(prompt)
        tok = next_token()
        t1 = time.perf_counter()
        out = [tok]
        for _ in range(args.new_tokens - 1):
            llm.eval([tok])
            tok = next_token()
            out.append(tok)
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1, out

    run()  # warm-up
    results = [run() for _ in range(args.repeat)]
    prompt_s = min(r[0] for r in results)
    decode_s = min(r[1] for r in results)
    steps = args.new_tokens - 1
    print(json.dumps({
        "bench": "chat", "impl": f"llama.cpp (llama-cpp-python {llama_cpp.__version__})",
        "threads": args.threads, "prompt_tokens": len(prompt), "new_tokens": args.new_tokens,
        "prompt_tok_per_s": len(prompt) / prompt_s, "decode_tok_per_s": steps / decode_s,
        "tokens": results[0][2],
    }))


if __name__ == "__main__":
    main()
