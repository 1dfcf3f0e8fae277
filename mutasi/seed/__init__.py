"""Demo governments and people for `make run`, the tests and the benchmarks (not domain).

`data` generates them deterministically (pure: catalog, structure, people, names, the demo
cast); `load` writes them into a database, employees as events through the log.
"""
