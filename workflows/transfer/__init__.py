"""The transfer workflow (one per transfer) and its activities."""
