# The public plugin registry API (framework/registry.c), part of the core.
framework_libvirtplug_core_la_SOURCES += framework/registry.c
