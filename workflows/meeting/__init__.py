"""The Tim Penilai Kinerja meeting: its workflow, its activities, its tally and minutes."""
