"""Validation errors in Indonesian, in the words a BKPSDM officer uses: pydantic's English
("Field required") is kept alongside as `msg_en` for integrators."""

from __future__ import annotations

from typing import Any

# pydantic error type -> Indonesian; {…} are filled from the error's context.
_MESSAGES: dict[str, str] = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom ini tidak dikenal",
    "string_type": "harus berupa teks",
    "string_too_short": "terlalu pendek (paling sedikit {min_length} karakter)",
    "string_too_long": "terlalu panjang (paling banyak {max_length} karakter)",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "bool_parsing": "harus berupa ya/tidak (true/false)",
    "greater_than_equal": "paling kecil {ge}",
    "greater_than": "harus lebih dari {gt}",
    "less_than_equal": "paling besar {le}",
    "less_than": "harus kurang dari {lt}",
    "date_parsing": "tanggal tidak sah (format TTTT-BB-HH)",
    "date_from_datetime_parsing": "tanggal tidak sah (format TTTT-BB-HH)",
    "date_type": "tanggal tidak sah (format TTTT-BB-HH)",
    "datetime_parsing": "waktu tidak sah (format ISO 8601)",
    "uuid_parsing": "pengenal (UUID) tidak sah",
    "uuid_type": "pengenal (UUID) tidak sah",
    "literal_error": "pilihan tidak dikenal; pilihan yang sah: {expected}",
    "enum": "pilihan tidak dikenal; pilihan yang sah: {expected}",
    "too_short": "terlalu sedikit (paling sedikit {min_length})",
    "too_long": "terlalu banyak (paling banyak {max_length})",
    "list_type": "harus berupa daftar",
    "dict_type": "harus berupa objek",
    "model_type": "harus berupa objek",
    "json_invalid": "bukan JSON yang sah",
    "url_parsing": "alamat (URL) tidak sah",
    "value_error": "{error}",
}
_FALLBACK = "nilainya tidak sah"


def indonesian(error: dict[str, Any]) -> str:
    """One error in Indonesian. Our own validators say `Indonesian / English`: the first."""
    template = _MESSAGES.get(error["type"], _FALLBACK)
    context = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    if error["type"] == "value_error":
        own = str(error.get("ctx", {}).get("error", error["msg"]))
        return own.split(" / ", 1)[0].removeprefix("Value error, ")
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split(";")[0].split(" (")[0]


def field_of(loc: list[Any]) -> str:
    """`body.members.0.nip` -> `members.0.nip`: where in the request, as its fields name it."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "permintaan"


def summary(errors: list[dict[str, Any]]) -> str:
    """`Periksa isian: effective_date (wajib diisi); reasons (terlalu panjang …)`."""
    shown = "; ".join(f"{field_of(e['loc'])} ({e['msg']})" for e in errors[:5])
    more = f"; dan {len(errors) - 5} lainnya" if len(errors) > 5 else ""
    return f"Periksa isian: {shown}{more}"
