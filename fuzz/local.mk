# fuzz: nothing is built here yet.
