# docs: nothing is built here yet.
