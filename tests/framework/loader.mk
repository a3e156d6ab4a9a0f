# tests/framework/loader.mk
