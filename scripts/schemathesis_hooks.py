"""schemathesis hooks for bkg's API run (see scripts/schemathesis).

schemathesis learns ids from responses (e.g. the API keys listed by GET /admin/api-keys) and
calls destructive operations with them. Deleting or disabling the very key it authenticates
with, or the admin that key belongs to, would leave the rest of the run unauthenticated and
untested. So the acting principal's own ids are never used as targets: they are swapped for a
random id, which exercises the not-found path instead. Every other id stays as schemathesis
chose it.

Plugin bundles (`PUT /api/plugins/{id}/bundle`) are tar archives, a media type schemathesis
cannot generate on its own: they are drawn as real tar files of a few small members (a
manifest among them, or not) and as arbitrary bytes.
"""

import io
import os
import tarfile
import uuid

import schemathesis
from hypothesis import strategies as st

PROTECTED = {i for i in os.environ.get("BKG_ST_PROTECTED_IDS", "").split(",") if i}


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    params = case.path_parameters or {}
    for name, value in list(params.items()):
        if str(value) in PROTECTED:
            params[name] = str(uuid.uuid4())
    return None


def _tar(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buf.getvalue()


schemathesis.openapi.media_type(
    "application/x-tar",
    st.one_of(
        st.binary(max_size=512),
        st.dictionaries(
            st.sampled_from(["plugin.toml", "main.py", "lib/util.py", "../escape.txt", "README"]),
            st.binary(max_size=64),
            max_size=3,
        ).map(_tar),
    ),
)
