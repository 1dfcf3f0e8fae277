"""Decision support and planning (SPEC §11): assessments, profile matching at scale, distance,
incentives, and the transfer plan optimiser. numpy/scipy live here, never in `mutasi.domain`.
"""
