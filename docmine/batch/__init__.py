"""Batch processing of archives (issue #8)."""
