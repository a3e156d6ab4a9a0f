# docs: the man pages.
dist_man_MANS += docs/vpsh.1
