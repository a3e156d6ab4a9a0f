# The test driver's simulated host power.
framework_libvirtplug_core_la_SOURCES += \
	framework/builtin/test/test-hostpower.c
