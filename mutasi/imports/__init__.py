"""CSV imports of master data (employees, positions, units) into the database.

The pure parsing of the employee export lives in `mutasi.domain.employee_csv`; this package
is its adapter: it resolves names against the tenant's units and positions, compares with what
the database holds, writes employees as events through the log (employee.registered /
employee.updated) and units/positions as rows, and keeps the report of every run.
"""
