# framework/conf: the one domain and snapshot XML parser (libxml2), shared
# by every driver through the SDK (vp_plugin_domain_def_*, vp_plugin_snapshot_def_*).
framework_libvirtplug_core_la_SOURCES += \
	framework/conf/xml-util.c framework/conf/xml-util.h \
	framework/conf/xml-buf.c \
	framework/conf/uuid.c \
	framework/conf/domain-conf.c framework/conf/domain-conf.h \
	framework/conf/domain-devices.c \
	framework/conf/domain-format.c \
	framework/conf/snapshot-conf.c
