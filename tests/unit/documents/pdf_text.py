"""Read the text a decree PDF shows, without a PDF library: inflate content streams."""

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")


def shown_text(pdf: bytes) -> str:
    """Every string drawn with Tj, one per line, in page order."""
    lines = []
    for raw in _STREAM.findall(pdf):
        try:
            content = zlib.decompress(raw)
        except zlib.error:
            content = raw
        for literal in _SHOWN.findall(content):
            unescaped = re.sub(rb"\\(.)", rb"\1", literal)
            lines.append(unescaped.decode("latin-1"))
    return "\n".join(lines)
