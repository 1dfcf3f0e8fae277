"""A restore recreates every group role the migrations grant to (roles are not in a dump)."""

from __future__ import annotations

import re

from mutasi.backup import GROUP_ROLES
from mutasi.db import MIGRATIONS_DIR


def test_every_group_role_a_migration_creates_is_recreated_by_a_restore():
    created = {
        role
        for path in MIGRATIONS_DIR.glob("*.sql")
        for role in re.findall(r"CREATE ROLE (\w+) NOLOGIN", path.read_text())
    }
    assert created == set(GROUP_ROLES)
