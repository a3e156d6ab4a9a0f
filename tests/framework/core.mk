# tests/framework/core.mk
