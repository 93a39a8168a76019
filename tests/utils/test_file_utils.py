"""`get_file`: file:// downloads, the cache, hashes, atomic downloads and safe extraction."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import urllib.request
import zipfile
from pathlib import Path

import pytest

from kerastorch.utils.file_utils import extract_archive, get_file, hash_file, validate_file
from tests.oracle import keras_or_skip

PAYLOAD = b"kerastorch test payload\n" * 100


def _source(tmp_path, name="data.bin", payload=PAYLOAD):
    path = tmp_path / "remote" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(payload)
    return path


def _url(path) -> str:
    return "file://" + str(path)


def _listing(folder) -> list[str]:
    return sorted(os.listdir(folder))


def test_get_file_downloads_into_cache_subdir(tmp_path, capsys):
    source = _source(tmp_path)
    path = get_file(origin=_url(source), cache_dir=tmp_path / "cache")
    assert path == str(tmp_path / "cache" / "datasets" / "data.bin")
    assert Path(path).read_bytes() == PAYLOAD
    out = capsys.readouterr().out
    assert f"Downloading data from {_url(source)}" in out
    assert f"{len(PAYLOAD)}/{len(PAYLOAD)}" in out  # the progress bar, in bytes
    assert _listing(tmp_path / "cache" / "datasets") == ["data.bin"]  # no temporary left


def test_get_file_uses_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    path = get_file("renamed.bin", origin=_url(_source(tmp_path)), cache_subdir="sub")
    assert path == str(tmp_path / "home" / "sub" / "renamed.bin")


def test_get_file_reuses_cache_and_force_download_refreshes(tmp_path, monkeypatch):
    source = _source(tmp_path)
    calls = []
    real = urllib.request.urlopen
    monkeypatch.setattr(urllib.request, "urlopen", lambda url: calls.append(url) or real(url))
    path = get_file(origin=_url(source), cache_dir=tmp_path)
    source.write_bytes(b"new contents")
    assert get_file(origin=_url(source), cache_dir=tmp_path) == path
    assert Path(path).read_bytes() == PAYLOAD
    assert len(calls) == 1
    get_file(origin=_url(source), cache_dir=tmp_path, force_download=True)
    assert Path(path).read_bytes() == b"new contents"
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {"file_hash": hashlib.sha256(PAYLOAD).hexdigest()},
        {"file_hash": hashlib.md5(PAYLOAD).hexdigest()},
        {"md5_hash": hashlib.md5(PAYLOAD).hexdigest()},
        {"file_hash": hashlib.sha256(PAYLOAD).hexdigest(), "hash_algorithm": "sha256"},
    ],
    ids=["sha256-auto", "md5-auto", "md5_hash", "sha256"],
)
def test_get_file_accepts_matching_hash(tmp_path, kwargs):
    path = get_file(origin=_url(_source(tmp_path)), cache_dir=tmp_path, **kwargs)
    assert Path(path).read_bytes() == PAYLOAD


def test_get_file_hash_mismatch_keeps_nothing_new_and_deletes_nothing_old(tmp_path, capsys):
    source = _source(tmp_path)
    datadir = tmp_path / "datasets"
    with pytest.raises(ValueError, match=r"sha256 file hash .* does not match"):
        get_file(origin=_url(source), cache_dir=tmp_path, file_hash="0" * 64)
    assert _listing(datadir) == []
    (datadir / "data.bin").write_bytes(b"the user's own file")
    with pytest.raises(ValueError, match="Nothing was written to"):
        get_file(origin=_url(source), cache_dir=tmp_path, file_hash="0" * 32)
    assert "re-download the data" in capsys.readouterr().out
    assert (datadir / "data.bin").read_bytes() == b"the user's own file"
    assert _listing(datadir) == ["data.bin"]


def test_get_file_redownloads_a_stale_cached_file(tmp_path):
    datadir = tmp_path / "datasets"
    datadir.mkdir()
    (datadir / "data.bin").write_bytes(b"truncated")
    digest = hashlib.sha256(PAYLOAD).hexdigest()
    path = get_file(origin=_url(_source(tmp_path)), cache_dir=tmp_path, file_hash=digest)
    assert Path(path).read_bytes() == PAYLOAD


def test_get_file_offline_error_names_url_and_path(tmp_path):
    origin = _url(tmp_path / "missing" / "mnist.npz")
    with pytest.raises(OSError) as info:
        get_file(origin=origin, cache_dir=tmp_path)
    message = str(info.value)
    assert f"URL fetch failure on {origin}" in message
    assert str(tmp_path / "datasets" / "mnist.npz") in message
    assert "copy it by hand" in message
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__
    assert _listing(tmp_path / "datasets") == []


class _Interrupted:
    """A response that delivers one chunk, then fails (a dropped connection or Ctrl-C)."""

    def __init__(self, error: BaseException):
        self.error, self.sent, self.headers = error, False, {"Content-Length": "1000000"}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self, size: int) -> bytes:
        if self.sent:
            raise self.error
        self.sent = True
        return b"x" * size


@pytest.mark.parametrize("error", [ConnectionResetError("reset"), KeyboardInterrupt()])
def test_get_file_interrupted_download_leaves_nothing(tmp_path, monkeypatch, error):
    monkeypatch.setattr(urllib.request, "urlopen", lambda url: _Interrupted(error))
    expected = OSError if isinstance(error, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        get_file("data.bin", origin="https://example.invalid/data.bin", cache_dir=tmp_path)
    assert _listing(tmp_path / "datasets") == []


class _Truncated(_Interrupted):
    """A response that ends early without an error: fewer bytes than its Content-Length."""

    def read(self, size: int) -> bytes:
        data = b"" if self.sent else b"x" * 10
        self.sent = True
        return data


def test_get_file_truncated_download_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", lambda url: _Truncated(None))
    with pytest.raises(OSError, match="stopped after 10 of 1000000 bytes"):
        get_file("data.bin", origin="https://example.invalid/data.bin", cache_dir=tmp_path)
    assert _listing(tmp_path / "datasets") == []


def test_get_file_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match='specify the "origin"'):
        get_file("a.bin", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="Paths are no longer accepted"):
        get_file(os.path.join("a", "b.bin"), origin="file:///x", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="Can't parse the file name"):
        get_file(origin="https://example.invalid/", cache_dir=tmp_path)


def test_hash_file_and_validate_file(tmp_path):
    path = _source(tmp_path)
    sha, md5 = hashlib.sha256(PAYLOAD).hexdigest(), hashlib.md5(PAYLOAD).hexdigest()
    assert hash_file(path) == sha
    assert hash_file(path, "md5", chunk_size=7) == md5
    assert validate_file(path, sha)
    assert validate_file(path, md5)
    assert validate_file(path, md5, algorithm="md5")
    assert not validate_file(path, sha, "md5")


def _tar(path, members: dict[str, bytes], links: tuple = ()) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target, kind in links:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, target
            archive.addfile(info)


def _zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data)


@pytest.mark.parametrize("kind", ["tar.gz", "zip"])
def test_get_file_extracts_archives(tmp_path, kind):
    source = tmp_path / f"bundle.{kind}"
    (_tar if kind == "tar.gz" else _zip)(source, {"top/a.txt": b"a", "top/sub/b.txt": b"b"})
    folder = get_file("bundle", origin=_url(source), cache_dir=tmp_path, extract=True)
    assert folder == str(tmp_path / "datasets" / "bundle")
    assert Path(folder, "top", "sub", "b.txt").read_bytes() == b"b"
    assert os.path.isfile(folder + "_archive")


def test_get_file_untar_and_extraction_folder_names(tmp_path):
    source = tmp_path / "bundle.tar.gz"
    _tar(source, {"a.txt": b"a"})
    named = get_file("bundle.tar.gz", origin=_url(source), cache_dir=tmp_path, untar=True)
    assert named == str(tmp_path / "datasets" / "bundle_extracted")
    unnamed = get_file(origin=_url(source), cache_dir=tmp_path / "other", extract=True)
    assert unnamed == str(tmp_path / "other" / "datasets" / "bundle.tar.gz")
    assert os.listdir(named) == os.listdir(unnamed) == ["a.txt"]


def test_extract_archive_skips_members_escaping_the_folder(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    _tar(
        archive,
        {"ok.txt": b"ok", "../escape.txt": b"x", "/abs_escape.txt": b"x"},
        links=(
            ("sym_out", "/etc/passwd", tarfile.SYMTYPE),
            ("sym_up", "../escape_link", tarfile.SYMTYPE),
            ("hard_out", "../../outside", tarfile.LNKTYPE),
            ("sym_in", "ok.txt", tarfile.SYMTYPE),
        ),
    )
    target = tmp_path / "out" / "inner"
    with pytest.warns(UserWarning, match="Skipping invalid path") as record:
        assert extract_archive(archive, target)
    skipped = sorted(str(w.message).split("'")[1] for w in record)
    assert skipped == ["../escape.txt", "/abs_escape.txt", "hard_out", "sym_out", "sym_up"]
    assert sorted(os.listdir(target)) == ["ok.txt", "sym_in"]
    assert _listing(tmp_path / "out") == ["inner"]


def test_extract_archive_zip_traversal_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    _zip(archive, {"ok.txt": b"ok", "../escape.txt": b"x"})
    target = tmp_path / "out"
    with pytest.warns(UserWarning, match="Skipping invalid path during archive extraction"):
        assert extract_archive(archive, target, archive_format="zip")
    assert _listing(target) == ["ok.txt"]
    assert not (tmp_path / "escape.txt").exists()


def test_extract_archive_formats(tmp_path):
    archive = tmp_path / "a.zip"
    _zip(archive, {"x.txt": b"x"})
    assert not extract_archive(archive, tmp_path / "o", archive_format="tar")
    assert not extract_archive(archive, tmp_path / "o", archive_format=None)
    with pytest.raises(ValueError, match="archive_format"):
        extract_archive(archive, tmp_path / "o", archive_format="rar")


@pytest.mark.parity
@pytest.mark.parametrize(
    ("fname", "kwargs"),
    [
        (None, {}),
        ("named.bin", {"md5_hash": "md5"}),
        ("bundle", {"extract": True}),
        ("bundle.tar.gz", {"extract": True}),
        (None, {"untar": True}),
    ],
    ids=["plain", "md5", "extract-folder", "extract-extension", "untar-unnamed"],
)
def test_get_file_paths_match_keras(tmp_path, fname, kwargs):
    keras = keras_or_skip()
    source = tmp_path / "bundle.tar.gz"
    _tar(source, {"a.txt": PAYLOAD})
    kwargs = {k: hash_file(source, v) if k.endswith("hash") else v for k, v in kwargs.items()}
    (tmp_path / "ours").mkdir()
    (tmp_path / "k").mkdir()  # Keras falls back to /tmp/.keras for a missing cache_dir
    ours = get_file(fname, origin=_url(source), cache_dir=tmp_path / "ours", **kwargs)
    theirs = keras.utils.get_file(fname, origin=_url(source), cache_dir=tmp_path / "k", **kwargs)
    assert os.path.relpath(ours, tmp_path / "ours") == os.path.relpath(theirs, tmp_path / "k")
    assert _listing(os.path.dirname(ours)) == _listing(os.path.dirname(theirs))


@pytest.mark.parity
def test_hash_functions_match_keras(tmp_path):
    keras_or_skip()
    from keras.src.utils import file_utils as keras_file_utils

    path = _source(tmp_path)
    for algorithm in ("sha256", "md5", "auto"):
        assert hash_file(path, algorithm) == keras_file_utils.hash_file(path, algorithm)
    for digest in (hash_file(path), hash_file(path, "md5"), "0" * 64):
        assert validate_file(path, digest) == keras_file_utils.validate_file(path, digest)
