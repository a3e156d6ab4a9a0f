# plugins/qemu/qmp.mk: QMP and guest-agent clients, snapshot state machine
