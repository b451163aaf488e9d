"""Checks bkgd's OpenAI-compatible routes with the official `openai` Python client: chat
completions plain and streamed, embeddings (the client asks for base64 by default) and
errors. Run by scripts/openai-check against a live bkgd; exits non-zero on any mismatch."""

import math
import os
import sys

import openai

client = openai.OpenAI(base_url=os.environ["BKG_OPENAI_BASE"], api_key=os.environ["BKG_OPENAI_KEY"])
messages = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Name three colours."},
]

plain = client.chat.completions.create(model="smollm2", messages=messages, max_tokens=24, temperature=0, seed=1)
assert plain.object == "chat.completion", plain
assert plain.model == "smollm2"
text = plain.choices[0].message.content
assert plain.choices[0].message.role == "assistant" and text, plain
assert plain.choices[0].finish_reason in ("stop", "length"), plain
assert plain.usage.total_tokens == plain.usage.prompt_tokens + plain.usage.completion_tokens > 0, plain.usage

stream = client.chat.completions.create(
    model="smollm2", messages=messages, max_tokens=24, temperature=0, seed=1, stream=True
)
pieces, finish = [], None
for chunk in stream:
    assert chunk.object == "chat.completion.chunk", chunk
    choice = chunk.choices[0]
    if choice.delta.content:
        pieces.append(choice.delta.content)
    finish = choice.finish_reason or finish
assert "".join(pieces) == text, ("streamed and plain answers differ", "".join(pieces), text)
assert finish == plain.choices[0].finish_reason, finish

emb = client.embeddings.create(model="minilm", input=["The cat sat on the mat.", "A feline rested on the rug."])
assert emb.object == "list" and len(emb.data) == 2, emb
a, b = emb.data[0].embedding, emb.data[1].embedding
assert len(a) == 384 and abs(math.sqrt(sum(x * x for x in a)) - 1) < 1e-4, len(a)
floats = client.embeddings.create(model="minilm", input="The cat sat on the mat.", encoding_format="float")
assert max(abs(x - y) for x, y in zip(a, floats.data[0].embedding)) < 1e-6
assert sum(x * y for x, y in zip(a, b)) > 0.5, "similar sentences are close"

models = [m.id for m in client.models.list()]
assert len(models) == 2 and all(models), models

try:
    client.chat.completions.create(model="smollm2", messages=[], max_tokens=4)
    sys.exit("an empty conversation was accepted")
except openai.BadRequestError as e:
    assert e.code == "invalid_request" and e.type == "invalid_request_error", (e.code, e.type)
    assert "messages" in e.message, e.message
bad = openai.OpenAI(base_url=os.environ["BKG_OPENAI_BASE"], api_key="bkg_not_a_real_key")
try:
    bad.embeddings.create(model="minilm", input="x")
    sys.exit("a wrong key was accepted")
except openai.AuthenticationError as e:
    assert e.code == "unauthorized" and e.type == "authentication_error", (e.code, e.type)
print(f"openai {openai.__version__}: chat, streaming, embeddings, models and errors as OpenAI clients expect")
