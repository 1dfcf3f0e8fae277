"""The sample SIMPEG export shared with the project (kept beside the repository, not in it)."""

from pathlib import Path

import pytest

# Locally and in CI the shared folder sits beside the repository: <repo>/../shared/data.
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SORONG_UNITS = frozenset({
    "Dinas Kesehatan", "Dinas Pendidikan dan Kebudayaan", "Dinas Perhubungan",
    "Dinas Kependudukan dan Pencatatan Sipil", "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
})  # fmt: skip


@pytest.fixture(scope="session")
def sample_export() -> bytes:
    path = SHARED_DATA / "pegawai_kota_sorong.csv"
    if not path.is_file():
        pytest.fail(f"sample export missing at {path}: clone beside the shared folder")
    return path.read_bytes()


@pytest.fixture(scope="session")
def sorong_units() -> set[str]:
    """The six units the sample export assumes Kota Sorong has (data/README.md)."""
    return set(SORONG_UNITS)
