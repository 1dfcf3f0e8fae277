"""The string types of request bodies: text that every later step can store.

PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate cannot be encoded at all; other
control characters (escape sequences, backspace) forge what an officer reads in a notice, a
decree or a terminal. Such text is refused by the type itself (422) — whatever the request's
Content-Type says — so it never reaches a workflow, whose log entry would otherwise fail for
ever (finding 1 of issue 15). Tab and line breaks stay allowed in free text; codes are one line.
Lone surrogates are refused by pydantic before any pattern runs.

Every string in a request body uses one of these types, or a pattern/enum of its own that
admits no control character: tests/security/test_control_characters.py walks each service's
OpenAPI for a field that does not.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

# Free text: any character but C0 controls other than tab, LF, CR, and DEL.
FREE_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# A code, a name, an address: one line, no control character at all.
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
# The same, for patterns that embed their own classes: the characters a line must not hold.
CONTROL = r"\x00-\x1f\x7f"

Text = Annotated[
    str, StringConstraints(min_length=1, max_length=4000, strip_whitespace=True, pattern=FREE_TEXT)
]
ShortText = Annotated[
    str, StringConstraints(min_length=1, max_length=400, strip_whitespace=True, pattern=ONE_LINE)
]
Reference = Annotated[
    str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True, pattern=ONE_LINE)
]
Code = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=ONE_LINE)]
Description = Annotated[str, StringConstraints(max_length=500, pattern=FREE_TEXT)]
