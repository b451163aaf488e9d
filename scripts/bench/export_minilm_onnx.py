"""Exports all-MiniLM-L6-v2's BERT encoder to ONNX (fp32) for the ONNX Runtime baseline, offline,
with torch.onnx from Debian's CPU torch. Inputs: input_ids, attention_mask, token_type_ids
(int64, [batch, seq]); output: last_hidden_state [batch, seq, 384]. Pooling and normalisation
stay outside the graph, in the benchmark, as in sentence-transformers.

Usage: python export_minilm_onnx.py MODEL_DIR OUT_ONNX
"""

import sys

import torch
from transformers import AutoModel, AutoTokenizer


class Encoder(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state


def main() -> None:
    model_dir, out_path = sys.argv[1], sys.argv[2]
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    sample = tokenizer(["a sample sentence", "and another, longer sample sentence"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dynamic = {name: {0: "batch", 1: "seq"} for name in names}
    dynamic["last_hidden_state"] = {0: "batch", 1: "seq"}
    with torch.no_grad():
        torch.onnx.export(
            Encoder(model),
            tuple(sample[n] for n in names),
            out_path,
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=dynamic,
            opset_version=14,
            do_constant_folding=True,
        )


if __name__ == "__main__":
    main()
