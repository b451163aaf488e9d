"""Confining the paths callers pass to a capability: the rule of docs/PROTOCOL.md ("Paths"),
as the Rust SDK's ``Session::resolve_path`` implements it. A relative path is taken relative
to the plugin's data folder; an absolute one must lie inside it or an allowed folder; ``..`` is
refused; symlinks are resolved and must stay inside.
"""

import os

from .errors import PluginError, PATH_NOT_ALLOWED, bad_input


def _refused(requested, why):
    return PluginError(
        PATH_NOT_ALLOWED,
        "path %r %s; give a path relative to the plugin's data folder, or one inside a folder an "
        "admin allowed it (supervisor.allowed_paths)" % (requested, why),
        client_error=True,
    )


def _inside(path, root):
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def confine(requested, data_dir, allowed, write=False):
    """Resolves ``requested`` within ``data_dir`` and ``allowed``; returns the resolved path.
    ``write=True`` allows a path that does not exist yet (its parent folders may not exist
    either). Raises ``PluginError`` with code ``path_not_allowed`` (or ``bad_input`` for a file
    to read that does not exist)."""
    if not isinstance(requested, str) or not requested or "\0" in requested:
        raise _refused(requested, "is empty or holds a NUL byte")
    if ".." in requested.split("/"):
        raise _refused(requested, "contains `..`")
    roots = [r for r in [data_dir, *allowed] if r]
    if os.path.isabs(requested):
        # Decide on the words first, so a refusal says nothing about what exists outside.
        normal = os.path.normpath(requested)
        if not any(_inside(normal, os.path.normpath(r)) for r in roots):
            raise _refused(requested, "is outside the plugin's folders")
        candidate = normal
    elif data_dir:
        candidate = os.path.join(data_dir, requested)
    else:
        raise _refused(requested, "is relative, but the daemon gave this plugin no data folder")
    real_roots = [os.path.realpath(r) for r in roots if os.path.exists(r)]

    # Resolve the longest part that exists; what follows it is plain names.
    existing, rest = candidate, []
    while not os.path.lexists(existing):
        parent, name = os.path.split(existing)
        if parent == existing:
            raise _refused(requested, "is outside the plugin's folders")
        rest.append(name)
        existing = parent
    if os.path.islink(existing) and not os.path.exists(existing):
        raise _refused(requested, "leads through a symlink that points nowhere")
    real = os.path.realpath(existing)
    if not any(_inside(real, r) for r in real_roots):
        raise _refused(requested, "leads outside the plugin's folders (through a symlink)")
    if rest and not write:
        raise bad_input("path %r does not exist" % requested)
    return os.path.join(real, *reversed(rest)) if rest else real
