"""The live lab bench: a browser player for run records (see frames.py, player.py)."""
