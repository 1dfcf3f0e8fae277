"""Documents of a transfer: decree numbers, the decree PDF and notification texts."""
