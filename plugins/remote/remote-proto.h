/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-proto.h: the frames between the remote plugin and
 * virtplug-ssh-helper (docs/remote-protocol.md). Shared, source for
 * source, by both ends; it uses only the SDK.
 */
#ifndef VIRTPLUG_REMOTE_PROTO_H
#define VIRTPLUG_REMOTE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The version this side speaks; see remote_op_info.proto for what each
 * version added. */
#define REMOTE_PROTO_VERSION 5
#define REMOTE_FRAME_MAX (16u * 1024 * 1024)

typedef enum {
    REMOTE_MSG_HELLO,
    REMOTE_MSG_CALL,
    REMOTE_MSG_REPLY,
    REMOTE_MSG_ERROR,
    REMOTE_MSG_PING,
    REMOTE_MSG_PONG,
    REMOTE_MSG_EVENT,  /* protocol 2: far -> local, after event-open */
    REMOTE_MSG_STREAM, /* protocol 5: both ways, the bytes of a console */
    REMOTE_MSG_LAST
} remote_msg_type;

/* The ops, in the order of the table in remote-proto.c. */
typedef enum {
    REMOTE_OP_NUM_OF_DOMAINS,
    REMOTE_OP_LIST_DOMAINS,
    REMOTE_OP_DOMAIN_LOOKUP,
    REMOTE_OP_DOMAIN_DEFINE_XML,
    REMOTE_OP_DOMAIN_UNDEFINE,
    REMOTE_OP_DOMAIN_START,
    REMOTE_OP_DOMAIN_SHUTDOWN,
    REMOTE_OP_DOMAIN_DESTROY,
    REMOTE_OP_DOMAIN_SUSPEND,
    REMOTE_OP_DOMAIN_RESUME,
    REMOTE_OP_DOMAIN_GET_STATE,
    REMOTE_OP_DOMAIN_GET_XML,
    REMOTE_OP_DOMAIN_GET_GUEST_INFO,
    REMOTE_OP_SNAPSHOT_CREATE_XML,
    REMOTE_OP_SNAPSHOT_LIST,
    REMOTE_OP_SNAPSHOT_LOOKUP,
    REMOTE_OP_SNAPSHOT_DELETE,
    REMOTE_OP_SNAPSHOT_GET_XML,
    REMOTE_OP_SNAPSHOT_CURRENT,
    REMOTE_OP_NODE_SUSPEND_CAPABILITIES,
    REMOTE_OP_DOMAIN_CAPABILITIES,
    REMOTE_OP_NODE_SUSPEND_FOR_DURATION,
    REMOTE_OP_NODE_SUSPEND_RESULT,
    REMOTE_OP_NODE_SUSPEND_CANCEL,
    REMOTE_OP_NODE_SUSPEND_WAIT,
    /* protocol 2 */
    REMOTE_OP_DOMAIN_GET_UUID,
    REMOTE_OP_DOMAIN_LOOKUP_BY_UUID,
    REMOTE_OP_DOMAIN_LOOKUP_BY_ID,
    REMOTE_OP_DOMAIN_GET_ID,
    REMOTE_OP_DOMAIN_GET_INFO,
    REMOTE_OP_NODE_GET_INFO,
    REMOTE_OP_CONN_GET_HOSTNAME,
    REMOTE_OP_DOMAIN_GET_TIME,
    REMOTE_OP_DOMAIN_SET_TIME,
    REMOTE_OP_NODE_SUSPEND_GUESTS,
    REMOTE_OP_EVENT_OPEN,
    REMOTE_OP_EVENT_CLOSE,
    /* protocol 3 */
    REMOTE_OP_SNAPSHOT_REVERT,
    REMOTE_OP_DOMAIN_REBOOT,
    REMOTE_OP_DOMAIN_RESET,
    REMOTE_OP_DOMAIN_SET_AUTOSTART,
    REMOTE_OP_DOMAIN_GET_AUTOSTART,
    REMOTE_OP_DOMAIN_AGENT_COMMAND,
    /* protocol 4 */
    REMOTE_OP_DOMAIN_SET_MEMORY,
    REMOTE_OP_DOMAIN_SET_VCPUS,
    REMOTE_OP_DOMAIN_SET_METADATA,
    REMOTE_OP_DOMAIN_CREATE_XML,
    REMOTE_OP_DOMAIN_IS_PERSISTENT,
    /* protocol 5 */
    REMOTE_OP_DOMAIN_GET_STATS,
    REMOTE_OP_NODE_GET_MEMORY_STATS,
    REMOTE_OP_NODE_GET_CPU_STATS,
    REMOTE_OP_CONN_GET_SYSINFO,
    REMOTE_OP_DOMAIN_GET_DISPLAY_URI,
    REMOTE_OP_CONN_CANCEL_JOBS,
    REMOTE_OP_DOMAIN_OPEN_CONSOLE,
    REMOTE_OP_CONN_GET_CAPABILITIES,
    REMOTE_OP_DOMAIN_SAVE,
    REMOTE_OP_DOMAIN_RESTORE,
    REMOTE_OP_DOMAIN_MANAGED_SAVE,
    REMOTE_OP_DOMAIN_HAS_MANAGED_SAVE,
    REMOTE_OP_DOMAIN_MANAGED_SAVE_REMOVE,
    REMOTE_OP_DOMAIN_FS_FREEZE,
    REMOTE_OP_DOMAIN_FS_THAW,
    REMOTE_OP_DOMAIN_PM_SUSPEND,
    REMOTE_OP_DOMAIN_PM_WAKEUP,
    REMOTE_OP_DOMAIN_UPDATE_DEVICE,
    REMOTE_OP_DOMAIN_SAVE_IMAGE_GET_XML,
    REMOTE_OP_DOMAIN_SAVE_IMAGE_DEFINE_XML,
    REMOTE_OP_DOMAIN_MANAGED_SAVE_GET_XML,
    REMOTE_OP_DOMAIN_MANAGED_SAVE_DEFINE_XML,
    REMOTE_OP_LAST
} remote_op;

/* What a call carries and a reply returns: bits of one mask. */
enum {
    REMOTE_F_DOM = 1u << 0,   /* call: "dom" */
    REMOTE_F_SNAP = 1u << 1,  /* call: "snap" */
    REMOTE_F_XML = 1u << 2,   /* call: "xml" */
    REMOTE_F_FLAGS = 1u << 3, /* call: "flags" */
    REMOTE_F_RET = 1u << 4,   /* reply: "ret" */
    REMOTE_F_AB = 1u << 5,    /* reply: "a" and "b" */
    REMOTE_F_STR = 1u << 6,   /* reply: "str" */
    REMOTE_F_NAMES = 1u << 7, /* reply: "names" */
    REMOTE_F_IN_AB = 1u << 8, /* call: "a" and "b" */
    REMOTE_F_UUID = 1u << 9,  /* call: "uuid" */
    REMOTE_F_PATH = 1u << 10, /* call: "path" (a file on the far host) */
};

/* A call whose "op" this side does not know decodes with this op (its name
 * in remote_msg.unknown_op), so that the helper can refuse it by its id. */
#define REMOTE_OP_UNKNOWN (-1)

typedef struct remote_op_info {
    const char *name;
    unsigned int fields; /* REMOTE_F_* */
    int proto;           /* the protocol version that added it; 0: 1 */
} remote_op_info;

/* The declaration of @op, or NULL past the end. */
const remote_op_info *remote_op_get(int op);

/* One frame, decoded. Strings and names are owned by the message. */
typedef struct remote_msg {
    remote_msg_type type;
    uint64_t id;
    int op;
    char *dom, *snap, *xml, *uuid;
    char *path; /* protocol 5, the save-image XML calls: the image's path */
    /* protocol 3, a call with "dom", optional: the UUID of the domain
     * handle the call goes through; the far side refuses the call when
     * "dom" names another domain now */
    char *handle;
    char *unknown_op; /* a call of REMOTE_OP_UNKNOWN: its "op" */
    uint64_t flags;
    /* reply; an event: a is the event, b its detail, dom and uuid its domain */
    int64_t ret, a, b;
    char *str;
    char **names; /* NULL-terminated */
    size_t n_names;
    /* error */
    int code;
    char *message;
    /* hello */
    int64_t proto;
    char *version;
    char *driver;
    int64_t abi_major, abi_minor;
    /* stream (protocol 5): the bytes (base64 in the frame), and whether
     * the sender's end is closed */
    unsigned char *data;
    size_t data_len;
    bool end;
    /* an io-error event (protocol 5, optional members; NULL when absent):
     * the disk's source path, its alias and why */
    char *src_path, *dev_alias, *reason;
} remote_msg;

void remote_msg_clear(remote_msg *msg);

/* Encode @msg as one whole frame (length prefix included) into a new
 * buffer. Only the members its type (and for a call or reply, its op)
 * declares are written. */
int remote_msg_encode(const remote_msg *msg, unsigned char **ret_buf, size_t *ret_len);

/*
 * Decode the first frame of [@buf, @buf + @len): returns 0 when the frame
 * is not complete yet, the number of bytes it used when *@ret_msg was
 * filled, or VP_ERR_PROTOCOL (message set, naming @peer) for a frame over
 * @max_bytes, empty, not a JSON object, or not a valid message. A call is
 * checked against its op's declared arguments; a reply's results are
 * checked by remote_msg_check_reply(), since only the caller knows its op.
 */
int remote_frame_decode(const unsigned char *buf, size_t len, size_t max_bytes, const char *peer,
                        remote_msg *ret_msg);

/* A decoder for the frames of one stream of bytes (one reader): it keeps
 * its JSON parser from frame to frame. Not thread-safe: one holder at a
 * time. remote_decoder_next() is remote_frame_decode() with it. */
typedef struct remote_decoder remote_decoder;
remote_decoder *remote_decoder_new(void);
void remote_decoder_free(remote_decoder *dec);
int remote_decoder_next(remote_decoder *dec, const unsigned char *buf, size_t len, size_t max_bytes,
                        const char *peer, remote_msg *ret_msg);

/* @len bytes as base64 text (RFC 4648, padded), (transfer full); and
 * back: padded base64 @text into a new buffer, false for anything else. */
char *remote_base64_encode(const unsigned char *in, size_t len);
bool remote_base64_decode(const char *text, unsigned char **ret, size_t *ret_len);

/* The records of the public API that travel in a reply's "str". */
typedef enum {
    REMOTE_REC_SUSPEND_RESULT, /* vp_node_suspend_result */
    REMOTE_REC_DOMAIN_INFO,    /* vp_domain_info */
    REMOTE_REC_NODE_INFO,      /* vp_node_info */
    REMOTE_REC_LAST
} remote_record;

/*
 * The record @rec of @type as the text of one JSON object, one member per
 * field, named as the field (for the "str" of node-suspend-result,
 * domain-get-info and node-get-info), and back. Parsing fills the fields
 * of a zeroed *@ret_rec that fit in its size member (the core's size) and
 * ignores members it does not know, so that either side may have the
 * bigger struct; a field the text lacks stays 0 (for node-suspend-result,
 * only the fields of protocol 1 are required). VP_ERR_PROTOCOL naming
 * @peer for text that is not such an object.
 */
char *remote_record_format(remote_record type, const void *rec);
int remote_record_parse(remote_record type, const char *text, const char *peer, void *ret_rec);

struct vp_node_suspend_guest;
struct vp_plugin_suspend_guest;

/* The domains of a node-suspend outcome (the "str" of node-suspend-guests)
 * as the text of one JSON array of objects with the members "name",
 * "done", "error_code" and "message" (absent: none), and back: parsing
 * gives a NULL-terminated malloc()ed array and returns its count, or
 * VP_ERR_PROTOCOL naming @peer. */
char *remote_guests_format(struct vp_node_suspend_guest *const *guests);
int remote_guests_parse(const char *text, const char *peer,
                        struct vp_plugin_suspend_guest ***ret_guests);

/*
 * A list of typed parameters (the "str" of the stats ops, protocol 5) as
 * the text of one JSON array of [key, type, value] triples, type being the
 * VP_TYPED_PARAM_* number, and back: parsing appends each value to
 * @params with vp_plugin_typed_params_add_*() (a BOOLEAN as a UINT 0 or 1:
 * plugins have no builder for it), or fails with VP_ERR_PROTOCOL naming
 * @peer.
 */
struct vp_typed_params;
char *remote_params_format(const struct vp_typed_params *params);
int remote_params_parse(const char *text, const char *peer, struct vp_typed_params *params);
/* @n strings as a JSON array, and back: *@ret_v NULL-terminated (free each
 * and the array), or VP_ERR_PROTOCOL naming @peer. */
char *remote_strings_format(const char *const *v, size_t n);
int remote_strings_parse(const char *text, const char *peer, char ***ret_v, size_t *ret_n);

/* VP_ERR_PROTOCOL naming @peer unless @reply carries what @op declares. */
int remote_msg_check_reply(const remote_msg *reply, int op, const char *peer);

#endif /* VIRTPLUG_REMOTE_PROTO_H */
