# plugins/hostpower-linux: nothing is built here yet.
