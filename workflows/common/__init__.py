"""What the workflows share: recording a fact in the log, time and retry policies, refusals.

Each workflow package (transfer/, meeting/, …) uses only these and the kernel (`mutasi`),
never another workflow's modules (.importlinter: workflows-independent).
"""
