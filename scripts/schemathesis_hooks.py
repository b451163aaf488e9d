"""schemathesis hooks for bkg's API run (see scripts/schemathesis).

schemathesis learns ids from responses (e.g. the API keys listed by GET /admin/api-keys) and
calls destructive operations with them. Deleting or disabling the very key it authenticates
with, or the admin that key belongs to, would leave the rest of the run unauthenticated and
untested. So the acting principal's own ids are never used as targets: they are swapped for a
random id, which exercises the not-found path instead. Every other id stays as schemathesis
chose it.
"""

import os
import uuid

import schemathesis

PROTECTED = {i for i in os.environ.get("BKG_ST_PROTECTED_IDS", "").split(",") if i}


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    params = case.path_parameters or {}
    for name, value in list(params.items()):
        if str(value) in PROTECTED:
            params[name] = str(uuid.uuid4())
    return None
