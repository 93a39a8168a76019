"""TensorFlow's hashes, re-implemented: checked against published test vectors and the
expected outputs in Keras's own hashing tests (Keras needs TensorFlow to compute them)."""

import pytest

from kerastorch.layers.preprocessing.string_hashes import (
    fingerprint64,
    fingerprint_cat64,
    siphash24,
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", 0x9AE16A3B2F90404F),
        (b"hello world", 6381520714923946011),
        (b"The quick brown fox jumps over the lazy dog", 12375473906752639284),
    ],
)
def test_fingerprint64_known_values(data, expected):
    assert fingerprint64(data) == expected


def test_fingerprint64_buckets_match_keras_hashing_tests():
    # keras/src/layers/preprocessing/hashing_test.py (to_hash_bucket_fast, 3 bins)
    assert [fingerprint64(s.encode()) % 3 for s in "ABCDE"] == [1, 0, 1, 1, 2]
    assert [fingerprint64(str(i).encode()) % 3 for i in range(5)] == [1, 0, 1, 0, 2]


def test_fingerprint64_covers_every_length_branch():
    # lengths 0-16, 17-32, 33-64 and the 64-byte loop must all be distinct and stable
    values = {fingerprint64(bytes(range(n))) for n in (0, 3, 7, 16, 17, 32, 33, 64, 65, 200)}
    assert len(values) == 10


def test_siphash24_matches_the_reference_vector_and_keras_salted_buckets():
    key = (int.from_bytes(bytes(range(8)), "little"), int.from_bytes(bytes(range(8, 16)), "little"))
    assert siphash24(key, bytes(range(15))) == 0xA129CA6149BE45E5
    assert [siphash24((133, 137), s.encode()) % 3 for s in "ABCDE"] == [1, 2, 1, 0, 2]
    assert [siphash24((133, 133), s.encode()) % 3 for s in "ABCDE"] == [0, 0, 2, 1, 0]


def test_fingerprint_cat64_is_order_sensitive():
    assert fingerprint_cat64(1, 2) != fingerprint_cat64(2, 1)
