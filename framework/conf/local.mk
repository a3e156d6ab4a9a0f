# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# framework/conf: the one domain and snapshot XML parser (libxml2), shared
# by every driver through the SDK (vp_plugin_domain_def_*, vp_plugin_snapshot_def_*).
#
# What needs libxml2 is built into virtplug-xml.so, a module in $(pkglibdir)
# (not the plugin directory) that libvirtplug loads on the first XML call
# (xml-lazy.c), so libvirtplug.so itself never links libxml2. The core keeps
# the UUID functions and the free/copy of definitions, which need no XML.
framework_libvirtplug_core_la_SOURCES += \
	framework/conf/uuid.c \
	framework/conf/defs.c framework/conf/def-clear.h \
	framework/conf/domain-fields.c framework/conf/domain-fields.h \
	framework/conf/xml-lazy.c framework/conf/xml-module.h \
	framework/conf/model-lazy.c
framework_libvirtplug_core_la_CPPFLAGS += -DVP_XML_MODULE='"$(pkglibdir)/virtplug-xml.so"'

pkglib_LTLIBRARIES = framework/conf/virtplug-xml.la
framework_conf_virtplug_xml_la_SOURCES = \
	framework/conf/xml-module.c framework/conf/xml-module.h \
	framework/conf/xml-util.c framework/conf/xml-util.h \
	framework/conf/xml-buf.c \
	framework/conf/domain-fields.c framework/conf/domain-fields.h \
	framework/conf/domain-def.c framework/conf/domain-def.h framework/conf/domain-subset.c \
	framework/conf/snapshot-conf.c \
	framework/conf/model.h framework/conf/model-compile.c \
	framework/conf/model-schema.c framework/conf/model-schema-devices.c \
	framework/conf/model-node.c framework/conf/model-parse.c framework/conf/model-value.c \
	framework/conf/model-format.c framework/conf/model-rules.c \
	framework/conf/model-caps.h framework/conf/model-caps.c framework/conf/model-caps-format.c \
	framework/conf/model-access.c framework/conf/xml-edit.c framework/conf/xml-xpath.c \
	framework/builtin/test/test-nodefile-xml.c
framework_conf_virtplug_xml_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/framework $(LIBXML_CFLAGS)
# Only the table is exported (-fvisibility=hidden and the regex); the
# vp_plugin_* services it calls come from libvirtplug.so.
framework_conf_virtplug_xml_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared \
	-no-undefined -export-symbols-regex '^virtplug_xml_module$$'
framework_conf_virtplug_xml_la_LIBADD = framework/libvirtplug.la $(LIBXML_LIBS)
