# tests/framework/test-driver.mk
