# tests/framework/node-suspend.mk
