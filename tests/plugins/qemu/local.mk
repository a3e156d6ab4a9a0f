# tests/plugins/qemu: nothing is built here yet.
