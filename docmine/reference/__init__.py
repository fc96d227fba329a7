"""Reference data about California that every stage reads (not the synthetic generator's)."""
