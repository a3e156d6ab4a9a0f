# The plugin SDK: installed headers and pkg-config files.

sdkincludedir = $(includedir)/virtplug-1/virtplug/sdk
sdkinclude_HEADERS = \
	sdk/include/virtplug/sdk/alloc.h \
	sdk/include/virtplug/sdk/conf.h \
	sdk/include/virtplug/sdk/driver.h \
	sdk/include/virtplug/sdk/plugin.h \
	sdk/include/virtplug/sdk/services.h

pkgconfig_DATA = sdk/virtplug.pc sdk/virtplug-sdk.pc
EXTRA_DIST += sdk/virtplug.pc.in sdk/virtplug-sdk.pc.in
