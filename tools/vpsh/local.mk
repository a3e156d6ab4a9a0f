# tools/vpsh: nothing is built here yet.
