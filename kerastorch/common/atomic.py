"""`atomic_write`: write a file through a temporary next to it, so readers never see half of it.

The temporary is named `.<name>.<pid>.<token>.tmp` in the target's folder: recognisable, and
it records which process writes it. The file is flushed to disk (`fsync`) before it is
renamed into place, and the folder after, so a crash leaves either the old file or the new
one. A process killed mid-save leaves its temporary behind; the next `atomic_write` in that
folder removes such leftovers: temporaries whose process is gone (POSIX), and this process's
own temporaries that no save of it is writing any more. A temporary of a live process (another
save running now) is never touched.

Example:
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with atomic_write(path) as tmp, open(tmp, "w") as f:
    ...     _ = f.write("done")
    >>> with open(path) as f:
    ...     f.read()
    'done'
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["atomic_write", "move_into_place", "remove_stale_temporaries", "temporary_path"]

_TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")
_ACTIVE: set[str] = set()  # this process's temporaries being written now
_LOCK = threading.Lock()


def temporary_path(filepath: str) -> str:
    """A fresh temporary name for `filepath`: `<folder>/.<name>.<pid>.<token>.tmp`."""
    directory, name = os.path.split(os.path.abspath(filepath))
    return os.path.join(directory, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # no safe liveness probe (os.kill(pid, 0) signals on Windows): keep
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, owned by another user
        return True
    return True


def remove_stale_temporaries(directory: str) -> list[str]:
    """Remove the temporaries that crashed saves left in `directory`; return their paths.

    A temporary is stale when the process named in it no longer exists, or when it is this
    process's own and none of its saves is writing it. Anything else is left alone.
    """
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    own = os.getpid()
    for name in names:
        match = _TEMPORARY.match(name)
        if match is None:
            continue
        path = os.path.join(directory, name)
        pid = int(match["pid"])
        with _LOCK:
            if pid == own and path in _ACTIVE:
                continue
            if pid != own and _process_alive(pid):
                continue
            with contextlib.suppress(OSError):
                os.remove(path)
                removed.append(path)
    return removed


def move_into_place(temporary: str, path: str) -> None:
    """Sync `temporary` to disk, rename it over `path` (atomic) and sync the folder, so a
    crash leaves either the old file or the new one."""
    _fsync(temporary)
    os.replace(temporary, path)
    if os.name == "posix":  # folders cannot be opened for fsync on Windows
        _fsync(os.path.dirname(os.path.abspath(path)))


def _fsync(path: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_write(filepath: Any) -> Iterator[str]:
    """Yield a temporary path next to `filepath`; move it into place on success only.

    On success the temporary is synced to disk, renamed over `filepath` and the folder is
    synced; on any error (or interruption) it is removed and `filepath` is left unchanged.
    Stale temporaries of crashed saves in the same folder are removed first.
    """
    filepath = os.fspath(filepath)
    directory = os.path.dirname(os.path.abspath(filepath))
    remove_stale_temporaries(directory)
    with _LOCK:
        tmp = temporary_path(filepath)
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        os.close(fd)
        _ACTIVE.add(tmp)
    try:
        yield tmp
        move_into_place(tmp, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    finally:
        with _LOCK:
            _ACTIVE.discard(tmp)
