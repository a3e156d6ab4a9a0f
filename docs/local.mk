# docs: the man pages.
dist_man_MANS += docs/vpsh.1

# Design notes shipped in the tarball (each part's own notes are listed in
# its local.mk).
EXTRA_DIST += docs/domain-xml.md docs/qemu-clients.md docs/events.md
