"""`get_file`: download a file into Keras's cache, verify it, and optionally extract it.

Files go where Keras puts them (`$KERAS_HOME/datasets`, else `~/.keras/datasets`, under the
same names), so a file downloaded by Keras is reused by kerastorch and the other way round.
A download is written to a temporary file next to its target and renamed into place only
once it is complete and matches `file_hash`: an interrupted or corrupted download never
leaves a file that looks valid, and a failed re-download keeps the file that was there.
Archives are extracted member by member; a member that would land outside the target folder
(`../` paths, absolute paths, links pointing outside) is skipped with a warning, as in Keras.

Example:
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> source = os.path.join(folder, "data.txt")
    >>> with open(source, "w") as f:
    ...     _ = f.write("hello")
    >>> path = get_file(origin="file://" + source, cache_dir=folder)  # doctest: +ELLIPSIS
    Downloading data from file://...
    >>> path == os.path.join(folder, "datasets", "data.txt"), hash_file(path, "md5")
    (True, '5d41402abc4b2a76b9719d911017c592')
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import inspect
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from kerastorch.common.atomic import atomic_write
from kerastorch.common.progbar import Progbar, print_msg

__all__ = [
    "extract_archive",
    "get_file",
    "hash_file",
    "keras_home",
    "resolve_hasher",
    "validate_file",
]

_CHUNK = 1 << 16


def keras_home() -> str:
    """Keras's cache root: `$KERAS_HOME`, else `~/.keras` (`/tmp/.keras` if home is read-only)."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    base = os.path.expanduser("~")
    if not os.access(base, os.W_OK):
        base = "/tmp"
    return os.path.join(base, ".keras")


def resolve_hasher(algorithm: str, file_hash: str | None = None) -> Any:
    """The `hashlib` object for `"sha256"`, `"md5"` or `"auto"` (sha256 for 64-digit hashes)."""
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "auto" and file_hash is not None and len(file_hash) == 64:
        return hashlib.sha256()
    return hashlib.md5()


def hash_file(fpath: Any, algorithm: Any = "sha256", chunk_size: int = 65535) -> str:
    """The hex digest of the file at `fpath` (`algorithm`: `"sha256"`, `"md5"`, `"auto"` or a
    `hashlib` object), read `chunk_size` bytes at a time."""
    hasher = resolve_hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(
    fpath: Any, file_hash: str, algorithm: str = "auto", chunk_size: int = 65535
) -> bool:
    """Whether the file at `fpath` has the sha256 or md5 hash `file_hash`.

    `algorithm="auto"` takes sha256 for a 64-digit hash and md5 otherwise.
    """
    hasher = resolve_hasher(algorithm, file_hash)
    return str(hash_file(fpath, hasher, chunk_size)) == str(file_hash)


def _inside(base: str, relative: str) -> bool:
    path = os.path.realpath(os.path.join(base, relative))
    try:
        return os.path.commonpath([path, base]) == base
    except ValueError:  # different drives (Windows)
        return False


def _link_inside(info: tarfile.TarInfo, base: str) -> bool:
    if info.islnk():  # hard links resolve from the archive root
        return _inside(base, info.name) and _inside(base, info.linkname)
    if not _inside(base, info.name):
        return False
    destination = os.path.dirname(os.path.realpath(os.path.join(base, info.name)))
    return _inside(base, os.path.join(destination, info.linkname))


def _skip(name: str) -> None:
    warnings.warn(f"Skipping invalid path during archive extraction: '{name}'.", stacklevel=4)


def _safe_tar_members(archive: tarfile.TarFile, base: str) -> Iterator[tarfile.TarInfo]:
    for info in archive:
        link = info.issym() or info.islnk()
        if _link_inside(info, base) if link else _inside(base, info.name):
            yield info
        else:
            _skip(info.name)


def _safe_zip_members(archive: zipfile.ZipFile, base: str) -> Iterator[zipfile.ZipInfo]:
    for info in archive.infolist():
        if _inside(base, info.filename):
            yield info
        else:
            _skip(info.filename)


def _extract_open_archive(archive: tarfile.TarFile | zipfile.ZipFile, path: str) -> None:
    os.makedirs(path, exist_ok=True)
    base = os.path.realpath(path)
    if isinstance(archive, zipfile.ZipFile):
        archive.extractall(path, members=_safe_zip_members(archive, base))
        return
    kwargs = {}
    if sys.version_info < (3, 14) and "filter" in inspect.signature(archive.extractall).parameters:
        kwargs = {"filter": "data"}  # refuses device files and odd permissions too
    archive.extractall(path, members=_safe_tar_members(archive, base), **kwargs)


def extract_archive(file_path: Any, path: Any = ".", archive_format: Any = "auto") -> bool:
    """Extract a tar (`.tar`, `.tar.gz`, `.tar.bz2`) or zip archive into `path`.

    Args:
        file_path: The archive.
        path: The folder to extract into.
        archive_format: `"auto"` (tar, then zip), `"tar"`, `"zip"`, a list of these, or `None`.

    Returns:
        `True` when the archive matched a format and was extracted, `False` otherwise.
    """
    if archive_format is None:
        return False
    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    file_path, path = os.fspath(file_path), os.fspath(path)
    for kind in archive_format:
        if kind == "tar":
            is_match, opener = tarfile.is_tarfile, tarfile.open
        elif kind == "zip":
            is_match, opener = zipfile.is_zipfile, zipfile.ZipFile
        else:
            raise ValueError(
                f"extract_archive: unknown `archive_format` {kind!r}; expected 'auto', 'tar', "
                "'zip', a list of these, or None."
            )
        if is_match(file_path):
            with opener(file_path) as archive:
                try:
                    _extract_open_archive(archive, path)
                except (tarfile.TarError, RuntimeError, KeyboardInterrupt):
                    if os.path.isfile(path):
                        os.remove(path)
                    elif os.path.isdir(path):
                        shutil.rmtree(path)
                    raise
            return True
    return False


def _cache_folder(cache_dir: Any, cache_subdir: str) -> str:
    if cache_dir is None:
        cache_dir = keras_home()
    base = os.path.expanduser(os.fspath(cache_dir))
    with contextlib.suppress(OSError):
        os.makedirs(base, exist_ok=True)
    if not os.access(base, os.W_OK):
        base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    return datadir


def _download(origin: str, target: str, file_hash: str | None, hash_algorithm: str) -> None:
    """Stream `origin` into a temporary next to `target`; rename it into place when complete
    and verified. On any failure the temporary is removed and `target` is left as it was."""
    print_msg(f"Downloading data from {origin}")
    with atomic_write(target) as tmp:
        try:
            with urllib.request.urlopen(origin) as response, open(tmp, "wb") as out:
                length = response.headers.get("Content-Length") if response.headers else None
                total = int(length) if length and length.isdigit() else None
                bar, done = Progbar(total), 0
                for chunk in iter(lambda: response.read(_CHUNK), b""):
                    out.write(chunk)
                    done += len(chunk)
                    bar.update(min(done, total) if total else done)
                if total is not None and done != total:
                    raise OSError(f"the download stopped after {done} of {total} bytes")
                if total is None:
                    bar.update(done, finalize=True)
        except (OSError, http.client.HTTPException) as error:
            raise _fetch_error(origin, target, error) from None
        if file_hash is not None and not validate_file(tmp, file_hash, hash_algorithm):
            algorithm = resolve_hasher(hash_algorithm, file_hash).name
            raise ValueError(
                f"get_file: incomplete or corrupted file detected. The {algorithm} file hash of "
                f"the download from {origin} is {hash_file(tmp, algorithm)}, which does not "
                f"match the provided value of {file_hash}. Nothing was written to {target}."
            )


def _fetch_error(origin: str, target: str, error: BaseException) -> OSError:
    if isinstance(error, urllib.error.HTTPError):
        reason = f"{error.code} -- {error.msg}"
    elif isinstance(error, urllib.error.URLError):
        reason = str(error.reason)
    else:
        reason = f"{type(error).__name__}: {error}"
    return OSError(
        f"URL fetch failure on {origin}: {reason}\n"
        f"The file is expected at {target}. If this machine is offline, download {origin} "
        f"elsewhere and copy it by hand to {target} (that exact path and file name); it is "
        "then used without any download. The cache folder is `cache_dir`, else $KERAS_HOME, "
        "else ~/.keras."
    )


def get_file(
    fname: Any = None,
    origin: str | None = None,
    untar: bool = False,
    md5_hash: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: Any = "auto",
    cache_dir: Any = None,
    force_download: bool = False,
) -> str:
    """Download a file from `origin` unless it is already in the cache; return its path.

    The file goes to `<cache_dir>/<cache_subdir>/<fname>` (`cache_dir` defaults to
    `$KERAS_HOME`, else `~/.keras`; an absolute `cache_subdir` is used as is). A cached file is
    reused unless `force_download=True` or it does not match `file_hash`.

    Args:
        fname: The local file name; `None` takes the name at the end of `origin`. With
            `extract=True`, a name without an extension names the extraction folder.
        origin: The URL (`https://`, `http://`, `ftp://` or `file://`).
        untar: Deprecated: `extract=True` restricted to tar archives.
        md5_hash: Deprecated: an md5 `file_hash`.
        file_hash: The expected sha256 or md5 hash of the file.
        cache_subdir: The folder under `cache_dir` for the file.
        hash_algorithm: `"md5"`, `"sha256"` or `"auto"` (by the hash's length).
        extract: Extract the archive (tar or zip) and return the extraction folder.
        archive_format: `"auto"`, `"tar"`, `"zip"`, a list of these, or `None`.
        cache_dir: The cache root (default `$KERAS_HOME` or `~/.keras`).
        force_download: Download even when the file is cached.

    Returns:
        The path to the file, or with `extract=True` (or `untar=True`) to the folder it was
        extracted into: `<fname>` when `fname` has no extension (the archive is then kept as
        `<fname>_archive`), else `<fname up to its first dot>_extracted`.

    Raises:
        ValueError: no `origin`, a path as `fname`, or a download that fails `file_hash`.
        OSError: the download failed; the message names the URL and where to put the file.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = _cache_folder(cache_dir, cache_subdir)
    provided = fname
    fname = os.fspath(fname) if fname is not None else None
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(
                f"Can't parse the file name from the origin provided: '{origin}'. Please "
                "specify the `fname` argument."
            )
    elif os.sep in fname:
        raise ValueError(
            "Paths are no longer accepted as the `fname` argument. To specify the file's "
            f"parent directory, use the `cache_dir` argument. Received: fname={fname}"
        )

    extraction_dir = None
    if extract or untar:
        if provided and "." in fname:
            download_target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{fname[: fname.find('.')]}_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            download_target = os.path.join(datadir, f"{fname}_archive")
    else:
        download_target = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(download_target)
    stale = not download and file_hash is not None
    if stale and not validate_file(download_target, file_hash, algorithm=hash_algorithm):
        algorithm = resolve_hasher(hash_algorithm, file_hash).name
        print_msg(
            f"A local file was found, but it seems to be incomplete or outdated because the "
            f"{algorithm} file hash does not match the original value of {file_hash} so we "
            "will re-download the data."
        )
        download = True
    if download:
        _download(origin, download_target, file_hash, hash_algorithm)

    if extraction_dir is None:
        return download_target
    if not extract_archive(download_target, extraction_dir, "tar" if untar else archive_format):
        warnings.warn("Could not extract archive.", stacklevel=2)
    return extraction_dir
