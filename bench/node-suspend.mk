# bench/node-suspend.mk
