"""The visual HTML report over a results folder (issue #10)."""
