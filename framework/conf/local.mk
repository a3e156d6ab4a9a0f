# framework/conf: nothing is built here yet.
