"""Performance figures for forum-tui; ``python -m benchmarks`` runs them all (see run.py)."""
