# The plugin SDK: installed headers, pkg-config files, the conformance kit,
# the guide, the example plugin and the virtplug-plugins(7) man page.

sdkincludedir = $(includedir)/virtplug-1/virtplug/sdk
sdkinclude_HEADERS = \
	sdk/include/virtplug/sdk/alloc.h \
	sdk/include/virtplug/sdk/conf.h \
	sdk/include/virtplug/sdk/driver.h \
	sdk/include/virtplug/sdk/plugin.h \
	sdk/include/virtplug/sdk/services.h

pkgconfig_DATA = sdk/virtplug.pc sdk/virtplug-sdk.pc
EXTRA_DIST += sdk/virtplug.pc.in sdk/virtplug-sdk.pc.in

# virtplug-plugin-check: the conformance kit a plugin author runs on a .so.
bin_PROGRAMS += sdk/conformance/virtplug-plugin-check
sdk_conformance_virtplug_plugin_check_SOURCES = \
	sdk/conformance/kit.h \
	sdk/conformance/main.c \
	sdk/conformance/check-plugin.c \
	sdk/conformance/check-driver.c
sdk_conformance_virtplug_plugin_check_LDADD = framework/libvirtplug.la $(PTHREAD_LIBS)
