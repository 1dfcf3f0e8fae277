"""What operators see of a running process: Temporal's SDK metrics, sampled state, traces."""
