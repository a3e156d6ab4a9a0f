# tests/framework/conf.mk
