"""The pool's json/jsonb decoder reads every value exactly as the standard library would,
though it takes orjson's faster path where it can."""

import json

import pytest

from mutasi.db import _decoded

TEXTS = [
    '{"a": 1, "b": [true, false, null], "c": {"d": "é ✓ 𝄞"}}',
    '{"nip": "198001012005011001", "score": 87.25, "n": 9007199254740991}',
    '{"huge": 123456789012345678901234567890}',  # orjson alone reads this as a float
    '{"negative": -9223372036854775809}',
    '{"small": 0.1, "exp": 1e-7, "big": 1e400}',
    '"plain"',
    "[]",
    "null",
]


@pytest.mark.parametrize("text", TEXTS)
def test_decoded_exactly_as_the_standard_library(text):
    expected = json.loads(text)
    found = _decoded(text)
    assert found == expected
    assert json.dumps(found) == json.dumps(expected)  # same types all the way down
