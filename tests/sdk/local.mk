# tests/sdk: nothing is built here yet.
