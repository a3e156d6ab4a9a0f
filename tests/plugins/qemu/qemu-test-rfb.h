/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-test-rfb.h: a VNC client for the display tests, as far as they
 * need one: the RFB 3.8 greeting, VNC authentication (DES by the openssl
 * command), and VeNCrypt up to its TLS handshake, which the openssl
 * command (s_client) makes through a relay of the test, so the server's
 * certificate is verified by openssl itself. Only ever on 127.0.0.1.
 */
#ifndef VIRTPLUG_TESTS_QEMU_TEST_RFB_H
#define VIRTPLUG_TESTS_QEMU_TEST_RFB_H

#include <stddef.h>
#include <stdint.h>

#include "qemu-test-qmp.h"

/* A TCP connection to @addr:@port (asserts). */
int qt_connect_tcp(const char *addr, int port);
/* @n bytes from @fd, or fails the test. */
void qt_recv_all(int fd, void *buf, size_t n);
/* The TCP port of the running domain's VNC server (query-vnc). */
int qt_vnc_port(qt_fixture *f);
/* The RFB 3.8 greeting on the new connection @fd: the security types the
 * server offers, in @ret_types (256 bytes); their number. */
size_t qt_rfb_security_types(int fd, unsigned char *ret_types);
/* What a VNC server on 127.0.0.1:@port answers VNC authentication (RFB
 * 3.8, security type 2) with @password: 0 accepted, 1 refused. */
uint32_t qt_vnc_auth(qt_fixture *f, int port, const char *password);
/* VeNCrypt (security type 19, version 0.2) on 127.0.0.1:@port: the
 * subtypes the server offers in @ret_subtypes (up to 16); then, with
 * @choose non-zero, that subtype is chosen and the TLS handshake made by
 * `openssl s_client -CAfile @ca EXTRA` (@extra: more options, may be "").
 * With @input NULL, s_client's input is empty and it ends there, whether
 * or not the server went on; otherwise it sends @input (a format of
 * printf(1), without "'") once the
 * handshake is done and reads until the server closes the connection
 * (-ign_eof; at most 60 s). @ret_out (may be NULL): what s_client
 * printed. Returns the number of subtypes, and in @ret_status s_client's
 * exit status (0: verified and ended by its input). */
size_t qt_vencrypt(int port, uint32_t choose, const char *ca, const char *extra, const char *input,
                   uint32_t *ret_subtypes, int *ret_status, char **ret_out);
/* QEMU's command line of the running domain "dev", arguments
 * separated by spaces. (transfer full) */
char *qt_qemu_cmdline(qt_fixture *f);
/* A CA in @dir (made), a server certificate for 127.0.0.1 and a client
 * certificate signed by it, as the openssl command writes them:
 * ca-cert.pem, server-cert.pem, server-key.pem, client-cert.pem,
 * client-key.pem. */
void qt_make_certificates(const char *dir);

#endif /* VIRTPLUG_TESTS_QEMU_TEST_RFB_H */
