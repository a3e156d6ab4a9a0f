# bench: nothing is built here yet.
