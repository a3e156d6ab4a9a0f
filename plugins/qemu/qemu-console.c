/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-console.c: console sessions and the display of running domains.
 *
 * Owns attaching a caller to a character device of a running QEMU: the
 * device is found with query-chardev (a pty QEMU allocated, or a unix
 * socket it listens on) and served over a socketpair by a pump thread of
 * the calling process, which ends when the device closes (QEMU stopped),
 * when the caller closes its end, or when another session takes over. One
 * session per device across processes: a session listens on an abstract
 * unix socket named after RUNTIME/NAME.console-ALIAS while it lasts (no
 * file: the name goes with the session's process, however it ends). A
 * new session that finds it answering is refused, or with force asks the
 * holder to let go and waits for its answer. It never writes to the device
 * but what the caller sent.
 * Also the display: query-vnc or query-spice says where it listens now; a
 * display on a unix socket without a path in the XML listens on
 * RUNTIME/NAME.vnc or NAME.spice, the driver's, removed when the domain
 * stops. An autoport display's start holds the lock of the display ports
 * until QEMU listens, and a SPICE one gets the first port from 5900 it
 * can bind, as QEMU cannot pick one itself (VNC picks its own, under the
 * lock, so it never takes a port between a pick and its bind). A display
 * password reaches QEMU over QMP only (set_password after the launch;
 * until then ticketing is on without one, so no client gets in), never
 * on its command line, which any user of the host may read in /proc.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <json-c/json.h>

#include "qemu-devices.h"
#include "qemu-driver.h"
#include "qemu-monitor.h"

#define CONSOLE_TAKEOVER_MS 5000
#define DETACH_REQUEST "detach\n"
/* Held by a start whose display takes a port chosen for it, until QEMU
 * listens: two concurrent starts never get the same port. */
#define DISPLAY_PORTS_LOCK ".display-ports.lock"

typedef struct session {
    int dev;            /* the pty, or a socket connected to QEMU's */
    bool dev_is_socket; /* send() without SIGPIPE */
    int peer;           /* the pump's end of the caller's socketpair */
    int lock;           /* listening on the session's abstract socket */
    struct sockaddr_un lock_addr;
    socklen_t lock_len;
} session;

static void
close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void
session_free(session *s)
{
    if (!s)
        return;
    close_fd(&s->dev);
    close_fd(&s->peer);
    close_fd(&s->lock);
    free(s);
}
VP_DEFINE_CLEANUP(session, session_free)

/* All of @buf to @fd (a socket: never SIGPIPE); false when it is gone. */
static bool
write_all(int fd, bool is_socket, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = is_socket ? send(fd, buf, n, MSG_NOSIGNAL) : write(fd, buf, n);
        if (w < 0 && (errno == EINTR || errno == EAGAIN)) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            poll(&p, 1, 100);
            continue;
        }
        if (w <= 0)
            return false;
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

/* Copy what @from has to @to; false at end-of-file or an error. */
static bool
copy_once(int from, int to, bool to_is_socket)
{
    char buf[4096];
    ssize_t n = read(from, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    return n > 0 && write_all(to, to_is_socket, buf, (size_t)n);
}

/* A session socket was connected to: 1 when it asks this session to let
 * go (*@ret_asker: keep it open until the device is closed), else 0. */
static int
accept_request(session *s, int *ret_asker)
{
    int c = accept4(s->lock, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0)
        return 0;
    struct pollfd p = {.fd = c, .events = POLLIN};
    char m[sizeof(DETACH_REQUEST)] = "";
    if (poll(&p, 1, 1000) > 0 && read(c, m, sizeof(m) - 1) > 0 && strcmp(m, DETACH_REQUEST) == 0) {
        *ret_asker = c;
        return 1;
    }
    close(c); /* a probe of whether this session lives */
    return 0;
}

static void *
pump(void *arg)
{
    session *s = arg;
    int asker = -1;
    for (;;) {
        struct pollfd p[3] = {
            {.fd = s->dev, .events = POLLIN},
            {.fd = s->peer, .events = POLLIN},
            {.fd = s->lock, .events = POLLIN},
        };
        if (poll(p, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if ((p[2].revents & POLLIN) && accept_request(s, &asker))
            break;
        if ((p[0].revents & (POLLIN | POLLHUP | POLLERR)) && !copy_once(s->dev, s->peer, true))
            break;
        if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
            !copy_once(s->peer, s->dev, s->dev_is_socket))
            break;
    }
    close_fd(&s->dev);
    close_fd(&s->peer);
    close_fd(&s->lock);
    close_fd(&asker); /* the new session may take the device now */
    session_free(s);
    return NULL;
}

/* Connect to the unix socket @sa: the descriptor, or -errno. */
static int
connect_addr(const struct sockaddr_un *sa, socklen_t len)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (const struct sockaddr *)sa, len) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

static int
connect_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    return connect_addr(&sa, sizeof(sa));
}

/* Ask the session holding @path to let go and wait until it did. */
static int
take_over(int holder, const char *domain, const char *alias)
{
    if (!write_all(holder, true, DETACH_REQUEST, strlen(DETACH_REQUEST)))
        return 0; /* it went away by itself */
    struct pollfd p = {.fd = holder, .events = POLLIN};
    char c;
    if (poll(&p, 1, CONSOLE_TAKEOVER_MS) > 0 && read(holder, &c, 1) <= 0)
        return 0;
    return vp_plugin_error_set(
        VP_ERR_TIMEOUT,
        "the session holding console '%s' of domain '%s' did not let go within %d ms; try again",
        alias, domain, CONSOLE_TAKEOVER_MS);
}

/* The abstract socket name of the sessions of @key ("RUNTIME/NAME.ALIAS"):
 * no file, so a session that dies takes its name with it. FNV-1a of the
 * key keeps any runtime directory within sun_path. */
static void
session_name(session *s, const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    s->lock_addr = (struct sockaddr_un){.sun_family = AF_UNIX};
    int n = snprintf(s->lock_addr.sun_path + 1, sizeof(s->lock_addr.sun_path) - 1,
                     "virtplug-console-%016llx", (unsigned long long)h);
    s->lock_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

/* Listen on the session name of @s, taking it from a live session with
 * @force. Call with the domain's lock held. */
static int
session_bind(session *s, const char *domain, const char *alias, bool force)
{
    s->lock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->lock < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create a unix socket");
    int64_t deadline = 0;
    while (bind(s->lock, (struct sockaddr *)&s->lock_addr, s->lock_len) < 0) {
        if (errno != EADDRINUSE)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                             "cannot bind the console session socket");
        int holder = connect_addr(&s->lock_addr, s->lock_len);
        if (holder >= 0 && !force) {
            close(holder);
            return vp_plugin_error_set(
                VP_ERR_OPERATION_IN_PROGRESS,
                "console '%s' of domain '%s' is in use by another session; use force (vpsh console --force) to take it over",
                alias, domain);
        }
        if (holder >= 0) {
            int r = take_over(holder, domain, alias);
            close(holder);
            if (r < 0)
                return r;
            force = false; /* it let go: a session now there is a new one */
        }
        /* Bound but not listening yet, or closing: a moment. */
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        int64_t ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
        if (!deadline)
            deadline = ms + CONSOLE_TAKEOVER_MS;
        if (ms > deadline)
            return vp_plugin_error_set(
                VP_ERR_OPERATION_IN_PROGRESS,
                "console '%s' of domain '%s' is being opened by another session; try again", alias,
                domain);
        poll(NULL, 0, 10);
    }
    if (listen(s->lock, 4) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot listen on the console session socket");
    return 0;
}

/* Run QMP @command on the domain of @rec (locked by the caller), which
 * must be running; @what says what could not be done otherwise. */
static int
query_running(const qemu_record *rec, const char *name, const char *what, const char *command,
              json_object **ret_reply)
{
    if (!rec->active)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "cannot %s of domain '%s': it is not running", what, name);
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r < 0)
        return r;
    r = qemu_monitor_command(mon, command, NULL, QEMU_MONITOR_TIMEOUT_MS, ret_reply);
    qemu_monitor_close(mon);
    return r;
}

/* The query-chardev filename of chardev @label, or NULL. (transfer full) */
static char *
chardev_filename(json_object *list, const char *label)
{
    json_object *v;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *c = json_object_array_get_idx(list, i);
        if (json_object_object_get_ex(c, "label", &v) &&
            strcmp(json_object_get_string(v), label) == 0 &&
            json_object_object_get_ex(c, "filename", &v))
            return vp_strdup(json_object_get_string(v));
    }
    return NULL;
}

/* @ret_alias and the filename of the chardev @dev_name names (NULL: the
 * first serial port, else the first console). */
static int
find_chardev(const qemu_record *rec, const char *name, const char *dev_name, char **ret_alias,
             char **ret_filename)
{
    json_object *list = NULL;
    int r = query_running(rec, name, "open the console", "query-chardev", &list);
    if (r < 0)
        return r;
    static const char *const defaults[] = {"serial0", "console0", NULL};
    const char *const one[] = {dev_name, NULL};
    char *filename = NULL;
    const char *const *alias = dev_name ? one : defaults;
    for (; !filename && *alias; alias++) {
        _cleanup_free_ char *label = vp_asprintf("char%s", *alias);
        filename = chardev_filename(list, label);
    }
    json_object_put(list);
    if (!filename && dev_name)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "domain '%s' has no character device '%s'",
                                   name, dev_name);
    if (!filename)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "domain '%s' has no console; add <serial type='pty'/> or <console type='pty'/>", name);
    *ret_alias = vp_strdup(alias[-1]);
    *ret_filename = filename;
    return 0;
}

/* Open the device of @filename (query-chardev's "pty:PATH" or a unix
 * socket QEMU listens on) into @s. */
static int
open_device(session *s, const char *name, const char *alias, const char *filename)
{
    const char *f = filename;
    if (strncmp(f, "disconnected:", 13) == 0)
        f += 13;
    if (strncmp(f, "pty:", 4) == 0) {
        s->dev = open(f + 4, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
        if (s->dev < 0)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                             "cannot open console '%s' of domain '%s' ('%s')",
                                             alias, name, f + 4);
        /* Raw: the guest's bytes pass as they are. */
        struct termios t;
        if (tcgetattr(s->dev, &t) == 0) {
            cfmakeraw(&t);
            tcsetattr(s->dev, TCSANOW, &t);
        }
        return 0;
    }
    const char *server = strstr(f, ",server=on");
    if (strncmp(f, "unix:", 5) == 0 && server) {
        _cleanup_free_ char *path = vp_strndup(f + 5, (size_t)(server - f - 5));
        int fd = connect_unix(path);
        if (fd < 0)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, -fd,
                                             "cannot connect to console '%s' of domain '%s' ('%s')",
                                             alias, name, path);
        s->dev = fd;
        s->dev_is_socket = true;
        return 0;
    }
    return vp_plugin_error_set(
        VP_ERR_NOT_SUPPORTED,
        "console '%s' of domain '%s' is '%s'; a console needs a pty or a unix socket in mode 'bind'",
        alias, name, filename);
}

/* Hand the caller its end of a socketpair and start the pump. */
static int
serve(session **sp, int *ret_fd)
{
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create a socketpair");
    session *s = *sp;
    s->peer = pair[0];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    int r = pthread_create(&t, &attr, pump, s);
    pthread_attr_destroy(&attr);
    if (r != 0) {
        close(pair[1]);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, r, "cannot start the console thread");
    }
    *sp = NULL; /* the pump's now */
    *ret_fd = pair[1];
    return 0;
}

int
qemu_domain_open_console(void *priv, const char *name, const char *dev_name, unsigned int flags,
                         int *ret_fd)
{
    qemu_driver *drv = priv;
    if (flags & ~VP_DOMAIN_CONSOLE_FORCE)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported console flags 0x%x", flags);
    if (dev_name && vp_plugin_name_is_safe("character device alias", dev_name, 32, "\\, ",
                                           VP_PLUGIN_NAME_NO_LEADING_DOT) < 0)
        return VP_ERR_INVALID_ARG;
    /* Under the domain's lock: two sessions never bind at once. */
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, "console", &lock, &rec);
    if (r < 0)
        return r;
    _cleanup_free_ char *alias = NULL, *filename = NULL;
    r = find_chardev(rec, name, dev_name, &alias, &filename);
    if (r < 0)
        return r;
    _cleanup_(session_freep) session *s = vp_new0(session, 1);
    s->dev = s->peer = s->lock = -1;
    _cleanup_free_ char *suffix = vp_asprintf(".console-%s", alias);
    _cleanup_free_ char *key = qemu_domain_path(drv, name, suffix);
    session_name(s, key);
    r = session_bind(s, name, alias, flags & VP_DOMAIN_CONSOLE_FORCE);
    if (r >= 0)
        r = open_device(s, name, alias, filename);
    if (r >= 0)
        r = serve(&s, ret_fd);
    return r;
}

/* ---- the display ----------------------------------------------------- */

static const char *
str_member(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* What virsh prints for a wildcard address: this host. */
static const char *
display_host(const char *host)
{
    if (!host || !*host || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
        return "localhost";
    return host;
}

/* "spice://HOST:PORT[?tls-port=TLSPORT]" from query-spice (virsh's form;
 * "spice://HOST?tls-port=TLSPORT" without a plain port), or NULL when
 * SPICE is off. */
static char *
spice_uri(json_object *spice)
{
    json_object *v;
    if (!json_object_object_get_ex(spice, "enabled", &v) || !json_object_get_boolean(v))
        return NULL;
    const char *host = str_member(spice, "host");
    int port = json_object_object_get_ex(spice, "port", &v) ? json_object_get_int(v) : 0;
    int tls = json_object_object_get_ex(spice, "tls-port", &v) ? json_object_get_int(v) : 0;
    /* A unix socket: QEMU reports its path as the host, and no port. */
    if (port <= 0 && tls <= 0)
        return vp_asprintf("spice+unix://%s", host ? host : "");
    host = display_host(host);
    bool v6 = strchr(host, ':') != NULL;
    _cleanup_free_ char *plain = port > 0 ? vp_asprintf(":%d", port) : vp_strdup("");
    _cleanup_free_ char *secure = tls > 0 ? vp_asprintf("?tls-port=%d", tls) : vp_strdup("");
    return vp_asprintf("spice://%s%s%s%s%s", v6 ? "[" : "", host, v6 ? "]" : "", plain, secure);
}

int
qemu_domain_get_display_uri(void *priv, const char *name, unsigned int flags, char **ret_uri)
{
    qemu_driver *drv = priv;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported display flags 0x%x", flags);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, "domdisplay", &lock, &rec);
    if (r < 0)
        return r;
    json_object *vnc = NULL;
    r = query_running(rec, name, "show the display", "query-vnc", &vnc);
    if (r < 0 && r != VP_ERR_NOT_SUPPORTED)
        return r;
    json_object *enabled = NULL;
    if (r < 0 || !json_object_object_get_ex(vnc, "enabled", &enabled) ||
        !json_object_get_boolean(enabled)) {
        json_object_put(vnc);
        /* A QEMU without SPICE has no query-spice: no display either. */
        json_object *spice = NULL;
        char *uri = NULL;
        if (query_running(rec, name, "show the display", "query-spice", &spice) >= 0)
            uri = spice_uri(spice);
        json_object_put(spice);
        if (!uri)
            return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED, "domain '%s' has no graphical display",
                                       name);
        *ret_uri = uri;
        return 0;
    }
    const char *family = str_member(vnc, "family"), *host = str_member(vnc, "host");
    const char *service = str_member(vnc, "service");
    if (family && strcmp(family, "unix") == 0) {
        *ret_uri = vp_asprintf("vnc+unix://%s", service ? service : "");
    } else {
        /* As virsh: a wildcard address is this host; the VNC display
         * number, not the TCP port. */
        host = display_host(host);
        long port = service ? strtol(service, NULL, 10) : 5900;
        bool v6 = strchr(host, ':') != NULL;
        *ret_uri = vp_asprintf("vnc://%s%s%s:%ld", v6 ? "[" : "", host, v6 ? "]" : "", port - 5900);
    }
    json_object_put(vnc);
    return 0;
}

/* A listening socket can be bound on @addr:@port now, as QEMU binds it
 * (SO_REUSEADDR: a port in TIME_WAIT counts as free). */
static bool
port_free(const char *addr, long port)
{
    struct sockaddr_storage ss = {0};
    socklen_t len;
    struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        len = sizeof(*in4);
    } else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        len = sizeof(*in6);
    } else {
        return true; /* a host name: QEMU resolves it and says what fails */
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    bool ok = bind(fd, (struct sockaddr *)&ss, len) == 0 && listen(fd, 1) == 0;
    close(fd);
    return ok;
}

/* The first port from @from on @addr free now, other than @taken (a fixed
 * port QEMU has not bound yet), noted in @g as @key; -1 (and an error)
 * when there is none. */
static long
pick_port(json_object *g, const char *addr, long from, long taken, const char *key,
          const char *domain)
{
    for (long port = from; port <= 65535; port++) {
        if (port == taken || !port_free(addr, port))
            continue;
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': SPICE %s on '%s' port %ld", domain, key, addr,
                        port);
        _cleanup_free_ char *p = vp_asprintf("%ld", port);
        _cleanup_free_ char *k = vp_asprintf("@%s", key);
        json_object_object_add(g, k, json_object_new_string(p));
        return port;
    }
    vp_plugin_error_set(
        VP_ERR_SYSTEM, "cannot start domain '%s': no free port from %ld to 65535 on '%s' for SPICE",
        domain, from, addr);
    return -1;
}

/* An autoport display: the lock of the display ports, held by the caller
 * until QEMU listens; for SPICE, which QEMU cannot place itself, the first
 * port from 5900 free on the listen address, noted in the tree, and with
 * @pick_tls the next free one for TLS. */
static int
display_port(const qemu_driver *drv, json_object *g, const char *domain, bool pick_tls,
             int *ret_lock)
{
    /* Ports are the host's: the lock is the user's runtime directory's,
     * shared by every driver root of this user (qemu:///system and each
     * embed root), so that a SPICE pick in one root never lands on a port a
     * QEMU of another is about to bind. The root's own without one. */
    _cleanup_free_ char *run = NULL;
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    if (vp_plugin_runtime_dir(&run) < 0)
        run = vp_strdup(drv->runtime_dir);
    vp_plugin_error_restore(saved);
    _cleanup_free_ char *path = vp_asprintf("%s/" DISPLAY_PORTS_LOCK, run);
    int lock = -1;
    int r = vp_plugin_lock_acquire(path, "the display ports", drv->lock_timeout_ms, &lock);
    if (r < 0)
        return r;
    const char *type = qemu_tree_attr(g, "type");
    if (!type || strcmp(type, "spice") != 0) {
        *ret_lock = lock; /* VNC: QEMU picks, under the lock */
        return 0;
    }
    const char *addr = qemu_graphics_listen_address(g);
    long from = QEMU_DISPLAY_PORT_MIN, taken = -1;
    if (qemu_graphics_autoport(g))
        from = pick_port(g, addr, from, -1, QEMU_GRAPHICS_PORT_ATTR, domain) + 1;
    else
        taken = strtol(qemu_tree_attr(g, "port"), NULL, 10);
    if (from > 0 && pick_tls)
        from = pick_port(g, addr, from, taken, QEMU_GRAPHICS_TLS_PORT_ATTR, domain) + 1;
    if (from <= 0) {
        vp_plugin_lock_release(lock);
        return VP_ERR_SYSTEM;
    }
    *ret_lock = lock;
    return 0;
}

int
qemu_display_prepare(const qemu_driver *drv, json_object *tree, const char *domain,
                     int *ret_ports_lock)
{
    json_object *g = qemu_tree_kid(tree, "graphics", 0);
    json_object *l = qemu_tree_kid(g, "listen", 0);
    const char *type = qemu_tree_attr(l, "type");
    bool spice = qemu_tree_has_spice(tree);
    *ret_ports_lock = -1;
    if (!g)
        return 0;
    bool pick_tls = false;
    if (spice) {
        int r = qemu_spice_tls_prepare(drv, g, domain, &pick_tls);
        if (r < 0)
            return r;
    } else {
        int r = qemu_vnc_tls_prepare(drv, g, domain);
        if (r < 0)
            return r;
    }
    if (!type || strcmp(type, "socket") != 0)
        return qemu_graphics_autoport(g) || pick_tls
                   ? display_port(drv, g, domain, pick_tls, ret_ports_lock)
                   : 0;
    const char *path = qemu_tree_attr(l, "socket");
    struct stat st;
    if (path) {
        /* The user's: QEMU cannot bind over a file, and the driver never
         * removes one. */
        if (lstat(path, &st) == 0)
            return vp_plugin_error_set(
                VP_ERR_INVALID_ARG,
                "cannot start domain '%s': its %s socket path '%s' exists; the qemu driver never removes it: remove it or choose another path",
                domain, spice ? "SPICE" : "VNC", path);
        return 0;
    }
    _cleanup_free_ char *own = qemu_domain_path(drv, domain, spice ? ".spice" : ".vnc");
    int r = qemu_domain_remove_socket(own, spice ? "SPICE socket" : "VNC socket");
    if (r < 0)
        return r;
    json_object_object_add(l, "@vp-socket", json_object_new_string(own));
    return 0;
}

/* expire_password for @g, whose password was just set: at @epoch_s, a
 * time QEMU takes as seconds since the epoch (one past already expires
 * it at once), or never. */
static int
expire_password(qemu_monitor *mon, json_object *g, long long epoch_s, const char *domain)
{
    _cleanup_(json_object_putp) json_object *args = json_object_new_object();
    _cleanup_free_ char *when = epoch_s < 0 ? vp_strdup("never") : vp_asprintf("%lld", epoch_s);
    json_object_object_add(args, "protocol", json_object_new_string(qemu_tree_attr(g, "type")));
    json_object_object_add(args, "time", json_object_new_string(when));
    int r = qemu_monitor_command(mon, "expire_password", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    if (r >= 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': display password expires at %s", domain, when);
    return r;
}

int
qemu_graphics_set_password(json_object *tree, const char *qmp_path, const char *domain)
{
    json_object *g = qemu_tree_kid(tree, "graphics", 0);
    return qemu_tree_attr(g, "passwd") ? qemu_graphics_apply_password(g, qmp_path, domain, false)
                                       : 0;
}

int
qemu_graphics_apply_password(json_object *g, const char *qmp_path, const char *domain, bool update)
{
    const char *passwd = qemu_tree_attr(g, "passwd");
    long long valid_to = -1;
    int r = qemu_graphics_valid_to(g, &valid_to);
    if (r < 0)
        return r;
    qemu_monitor *mon = NULL;
    r = qemu_monitor_open(qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r < 0)
        return r;
    _cleanup_(json_object_putp) json_object *args = json_object_new_object();
    json_object_object_add(args, "protocol", json_object_new_string(qemu_tree_attr(g, "type")));
    /* No password on an update: libvirt's empty one. */
    json_object_object_add(args, "password", json_object_new_string(passwd ? passwd : ""));
    /* What a password change does to connected clients (none is
     * connected at start, but QEMU checks the value). */
    const char *connected = qemu_tree_attr(g, "connected");
    if (connected)
        json_object_object_add(args, "connected", json_object_new_string(connected));
    r = qemu_monitor_command(mon, "set_password", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    if (r >= 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': display password set", domain);
    /* An update also ends an expiry set before ("never"). */
    if (r >= 0 && (valid_to >= 0 || update))
        r = expire_password(mon, g, valid_to, domain);
    qemu_monitor_close(mon);
    return r;
}
