"""Batch processing of archives (issue #8): `docmine batch ARCHIVE --out RESULTS --policy NAME`.

    from docmine.batch.run import Options, run_batch
    summary = run_batch("county-archive/", "results/", "statute", options=Options(workers=2))

Modules, one idea each: `walk` (the archive's files and zip members in a fixed order, and
what cannot be read), `manifest` (the SQLite manifest that makes a batch resumable),
`work` (phase 1 for one document, the same on a local or a Dask worker), `worker` (a local
worker process), `pool` (local worker processes with time and memory caps, or a Dask
cluster), `run` (the two phases), `progress` (the progress bar and summary table), `cli`.
"""
