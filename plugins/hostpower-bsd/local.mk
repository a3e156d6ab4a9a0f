# plugins/hostpower-bsd: nothing is built here yet.
