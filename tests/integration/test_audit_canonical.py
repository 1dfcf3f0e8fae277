"""The bytes each hash covers are RFC 8785 exactly, whatever fast path produced them."""

from __future__ import annotations

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from mutasi.log.canonical import MAX_SAFE_INTEGER, canonical_json

# The log's value space: no floats, integers within IEEE-754's safe range, any Unicode text.
scalars = (
    st.none()
    | st.booleans()
    | st.text()
    | st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(), values, max_size=6))
def test_a_payload_is_encoded_exactly_as_rfc_8785(payload):
    assert canonical_json(payload) == rfc8785.dumps(payload)
