# bench/core.mk
