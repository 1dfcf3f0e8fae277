"""The proposal service's SQL, one module per resource; routes call these and shape answers.

Shared look-ups (a government, an employee, a post, open transfers) are in mutasi.lookups;
which transfers a caller may see, in mutasi.transfers.
"""
