"""The review desk: the hand-review queue of a results folder in a browser (`docmine review`).

`app.create_app(RESULTS)` is the web application; `store` keeps users, decisions and the
hash-chained audit log in `RESULTS/.docmine/review.sqlite`; `queue` reads the folder;
`redecide` decides a corrected count again with `docmine check`'s code; `cli` is the command."""
