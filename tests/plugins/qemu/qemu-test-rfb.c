/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-test-rfb.c: the VNC client of the display tests (qemu-test-rfb.h).
 * VeNCrypt's TLS handshake is openssl s_client's: it connects to a relay
 * the test listens on (127.0.0.1, a port of the kernel's), whose thread
 * copies bytes both ways with the VNC connection after the VeNCrypt
 * negotiation.
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>

#include "qemu-test-rfb.h"
#include "qemu-test-util.h"

int
qt_connect_tcp(const char *addr, int port)
{
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    assert_int_equal(inet_pton(AF_INET, addr, &in.sin_addr), 1);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&in, sizeof(in)), 0);
    return fd;
}

void
qt_recv_all(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = recv(fd, (char *)buf + got, n - got, 0);
        assert_true(k > 0);
        got += (size_t)k;
    }
}

int
qt_vnc_port(qt_fixture *f)
{
    json_object *vnc = qt_qmp(f, "query-vnc", NULL), *v;
    assert_true(json_object_object_get_ex(vnc, "service", &v));
    int port = (int)strtol(json_object_get_string(v), NULL, 10);
    json_object_put(vnc);
    return port;
}

size_t
qt_rfb_security_types(int fd, unsigned char *ret_types)
{
    char version[12];
    qt_recv_all(fd, version, sizeof(version));
    assert_memory_equal(version, "RFB 003.008\n", 12);
    assert_int_equal(send(fd, version, sizeof(version), MSG_NOSIGNAL), 12);
    unsigned char n = 0;
    qt_recv_all(fd, &n, 1);
    assert_true(n > 0);
    qt_recv_all(fd, ret_types, n);
    return n;
}

/* The VNC authentication response to @challenge for @password: DES (ECB)
 * with the password's first 8 bytes, each bit-reversed, as key; DES by
 * the openssl command. */
static void
vnc_response(qt_fixture *f, const unsigned char *challenge, const char *password,
             unsigned char *ret_response)
{
    char key[17] = "";
    for (size_t i = 0; i < 8; i++) {
        unsigned char c = i < strlen(password) ? (unsigned char)password[i] : 0, r = 0;
        for (int b = 0; b < 8; b++)
            r |= (unsigned char)(((c >> b) & 1) << (7 - b));
        snprintf(key + 2 * i, 3, "%02x", r);
    }
    _cleanup_free_ char *in = vp_asprintf("%s/challenge", f->root);
    _cleanup_free_ char *out = vp_asprintf("%s/response", f->root);
    FILE *w = fopen(in, "w");
    assert_non_null(w);
    assert_int_equal(fwrite(challenge, 1, 16, w), 16);
    fclose(w);
    assert_int_equal(
        qt_run_capture((const char *const[]){"/usr/bin/openssl", "enc", "-des-ecb", "-nopad", "-K",
                                             key, "-in", in, "-out", out, "-provider", "legacy",
                                             "-provider", "default", NULL},
                       NULL),
        0);
    FILE *r = fopen(out, "r");
    assert_non_null(r);
    assert_int_equal(fread(ret_response, 1, 16, r), 16);
    fclose(r);
}

static uint32_t
be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint32_t
qt_vnc_auth(qt_fixture *f, int port, const char *password)
{
    int fd = qt_connect_tcp("127.0.0.1", port);
    unsigned char types[256];
    size_t n = qt_rfb_security_types(fd, types);
    assert_non_null(memchr(types, 2, n));
    unsigned char type = 2, challenge[16], response[16], result[4];
    assert_int_equal(send(fd, &type, 1, MSG_NOSIGNAL), 1);
    qt_recv_all(fd, challenge, sizeof(challenge));
    vnc_response(f, challenge, password, response);
    assert_int_equal(send(fd, response, sizeof(response), MSG_NOSIGNAL), 16);
    qt_recv_all(fd, result, sizeof(result));
    close(fd);
    return be32(result);
}

typedef struct relay {
    int listener, vnc;
} relay;

/* Copies bytes between the one client of the listener and the VNC
 * connection until either side ends. */
static void *
relay_run(void *p)
{
    relay *r = p;
    int c = accept4(r->listener, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0)
        return NULL;
    struct pollfd fds[2] = {{.fd = c, .events = POLLIN}, {.fd = r->vnc, .events = POLLIN}};
    char buf[16384];
    for (;;) {
        if (poll(fds, 2, 30000) <= 0)
            break;
        int from = (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) ? 0 : 1;
        ssize_t k = recv(fds[from].fd, buf, sizeof(buf), 0);
        if (k <= 0 || send(fds[1 - from].fd, buf, (size_t)k, MSG_NOSIGNAL) != k)
            break;
    }
    close(c);
    return NULL;
}

size_t
qt_vencrypt(int port, uint32_t choose, const char *ca, const char *extra, const char *input,
            uint32_t *ret_subtypes, int *ret_status, char **ret_out)
{
    int fd = qt_connect_tcp("127.0.0.1", port);
    unsigned char types[256], b[64];
    size_t n = qt_rfb_security_types(fd, types);
    assert_non_null(memchr(types, 19, n));
    unsigned char type = 19, version[2] = {0, 2};
    assert_int_equal(send(fd, &type, 1, MSG_NOSIGNAL), 1);
    qt_recv_all(fd, b, 2); /* the server's version, 0.2 */
    assert_int_equal(b[0], 0);
    assert_int_equal(b[1], 2);
    assert_int_equal(send(fd, version, 2, MSG_NOSIGNAL), 2);
    qt_recv_all(fd, b, 2); /* the version is accepted (0), the count of subtypes */
    assert_int_equal(b[0], 0);
    size_t count = b[1];
    assert_true(count > 0 && count <= 16);
    for (size_t i = 0; i < count; i++) {
        qt_recv_all(fd, b, 4);
        ret_subtypes[i] = be32(b);
    }
    *ret_status = -1;
    if (!choose) {
        close(fd);
        return count;
    }
    unsigned char pick[4] = {(unsigned char)(choose >> 24), (unsigned char)(choose >> 16),
                             (unsigned char)(choose >> 8), (unsigned char)choose};
    assert_int_equal(send(fd, pick, 4, MSG_NOSIGNAL), 4);
    qt_recv_all(fd, b, 1); /* 1: the TLS handshake follows */
    assert_int_equal(b[0], 1);
    relay r = {.vnc = fd, .listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    struct sockaddr_in in = {.sin_family = AF_INET};
    socklen_t len = sizeof(in);
    inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
    assert_int_equal(bind(r.listener, (struct sockaddr *)&in, sizeof(in)), 0);
    assert_int_equal(listen(r.listener, 1), 0);
    assert_int_equal(getsockname(r.listener, (struct sockaddr *)&in, &len), 0);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, relay_run, &r), 0);
    _cleanup_free_ char *cmd =
        input ? vp_asprintf("printf '%s' | timeout 60 openssl s_client -connect 127.0.0.1:%d "
                            "-CAfile '%s' -verify_return_error -ign_eof %s 2>&1",
                            input, ntohs(in.sin_port), ca, extra)
              : vp_asprintf("exec openssl s_client -connect 127.0.0.1:%d -CAfile '%s' "
                            "-verify_return_error %s </dev/null 2>&1",
                            ntohs(in.sin_port), ca, extra);
    *ret_status = qt_run_capture((const char *const[]){"/bin/sh", "-c", cmd, NULL}, ret_out);
    shutdown(r.listener, SHUT_RDWR); /* ends an accept that s_client never answered */
    pthread_join(thread, NULL);
    close(r.listener);
    close(fd);
    return count;
}

void
qt_make_certificates(const char *dir)
{
    assert_int_equal(mkdir(dir, 0700), 0);
    _cleanup_free_ char *script = vp_asprintf(
        "cd '%s' && exec >/dev/null 2>&1 && "
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca-cert.pem "
        "-days 2 -subj /CN=virtplug-test-ca && "
        "openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr "
        "-subj /CN=127.0.0.1 && "
        "openssl x509 -req -in server.csr -CA ca-cert.pem -CAkey ca-key.pem -CAcreateserial "
        "-out server-cert.pem -days 2 && "
        "openssl req -newkey rsa:2048 -nodes -keyout client-key.pem -out client.csr "
        "-subj /CN=virtplug-test-client && "
        "openssl x509 -req -in client.csr -CA ca-cert.pem -CAkey ca-key.pem -CAcreateserial "
        "-out client-cert.pem -days 2",
        dir);
    assert_int_equal(qt_run_capture((const char *const[]){"/bin/sh", "-c", script, NULL}, NULL), 0);
}

char *
qt_qemu_cmdline(qt_fixture *f)
{
    pid_t pid = qt_pid(f->root, "dev");
    assert_true(pid > 0);
    _cleanup_free_ char *path = vp_asprintf("/proc/%d/cmdline", (int)pid);
    FILE *c = fopen(path, "r");
    assert_non_null(c);
    char *buf = vp_new0(char, 65536);
    size_t n = fread(buf, 1, 65535, c);
    fclose(c);
    for (size_t i = 0; i + 1 < n; i++)
        if (buf[i] == '\0')
            buf[i] = ' ';
    return buf;
}
