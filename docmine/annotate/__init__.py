"""Annotation workflow: export, redact, import, agreement (issue #9)."""
