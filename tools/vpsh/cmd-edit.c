/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-edit.c: the vpsh "edit" verb, as virsh's, and the editing round
 * trip it shares with save-image-edit and managedsave-edit.
 *
 * Owns the round trip through the user's editor: an XML goes to
 * a temporary file of vpsh's own (TMPDIR, else /tmp), $VISUAL, else
 * $EDITOR, else vi runs on it through sh -c (so an editor with arguments
 * works, as in virsh), and an edited file is defined through the verb's
 * own call. Unchanged: nothing is defined. A definition the driver refuses is offered for another
 * edit when stdin is a terminal; otherwise, or when the user declines, the edited file is kept and
 * its path printed, so no edit is ever lost. The temporary file is removed only once its content is
 * defined or was never changed. It never touches a file the user named.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <virtplug/sdk/services.h>

#include "vpsh.h"

#define EDIT_MAX_BYTES (16u << 20)

static const char *
editor(void)
{
    const char *e = secure_getenv("VISUAL");
    if (!e || !*e)
        e = secure_getenv("EDITOR");
    return e && *e ? e : "vi";
}

/* Write @xml to a new temporary file; *ret_path (transfer full). */
static int
write_temp(const char *xml, char **ret_path)
{
    const char *dir = secure_getenv("TMPDIR");
    char *path = vp_asprintf("%s/vpshXXXXXX.xml", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 4);
    if (fd < 0) {
        int e = errno;
        vpsh_failf("cannot create a temporary file like '%s': %s", path, strerror(e));
        free(path);
        return -1;
    }
    size_t len = strlen(xml), done = 0;
    while (done < len) {
        ssize_t n = write(fd, xml + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            vpsh_failf("cannot write '%s': %s", path, strerror(n < 0 ? errno : EIO));
            close(fd);
            unlink(path);
            free(path);
            return -1;
        }
        done += (size_t)n;
    }
    if (close(fd) < 0) {
        vpsh_failf("cannot write '%s': %s", path, strerror(errno));
        unlink(path);
        free(path);
        return -1;
    }
    *ret_path = path;
    return 0;
}

/* Run the editor on @path: "sh -c 'EDITOR "$1"' sh PATH", so the path is
 * never parsed by the shell. */
static int
run_editor(const char *path)
{
    const char *ed = editor();
    _cleanup_free_ char *script = vp_asprintf("%s \"$1\"", ed);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return vpsh_failf("cannot start the editor '%s': %s", ed, strerror(errno));
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", script, "sh", path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return vpsh_failf("cannot wait for the editor '%s': %s", ed, strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFEXITED(status))
        return vpsh_failf("the editor '%s' exited with status %d; the XML is kept in '%s'", ed,
                          WEXITSTATUS(status), path);
    return vpsh_failf("the editor '%s' was killed by signal %d; the XML is kept in '%s'", ed,
                      WTERMSIG(status), path);
}

/* After a refused definition: whether the user wants another edit. Only
 * asked on a terminal, after the error; anything but y or Y is no. */
static bool
ask_again(const char *message)
{
    if (!isatty(STDIN_FILENO))
        return false;
    fprintf(stderr, "error: %s\n", message);
    fputs("Failed. Try again? [y,n]: ", stdout);
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof(line), stdin))
        return false;
    return line[0] == 'y' || line[0] == 'Y';
}

/* The library's error, with where the user's edit is. */
static int
kept(const char *path)
{
    const vp_error *e = vp_error_last();
    return vpsh_failc(e ? e->code : VP_ERR_INTERNAL, "%s; the edited XML is kept in '%s'",
                      e ? e->message : "unknown failure", path);
}

int
vpsh_edit_xml(const char *xml, vpsh_edit_define define, void *opaque, bool *ret_changed)
{
    _cleanup_free_ char *path = NULL;
    if (write_temp(xml, &path) != 0)
        return VPSH_EXIT_FAIL;
    for (;;) {
        if (run_editor(path) != 0)
            return VPSH_EXIT_FAIL;
        _cleanup_free_ char *edited = NULL;
        if (vp_plugin_file_read(path, EDIT_MAX_BYTES, &edited, NULL) < 0)
            return kept(path);
        if (strcmp(edited, xml) == 0 || define(opaque, edited) >= 0) {
            unlink(path);
            *ret_changed = strcmp(edited, xml) != 0;
            return VPSH_EXIT_OK;
        }
        const vp_error *e = vp_error_last();
        if (!e || !ask_again(e->message))
            return kept(path);
    }
}

typedef struct domain_edit {
    vp_conn *conn;
    vp_domain *defined;
} domain_edit;

static int
define_domain(void *opaque, const char *xml)
{
    domain_edit *e = opaque;
    return vp_domain_define_xml(e->conn, xml, 0, &e->defined);
}

int
vpsh_cmd_edit(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *xml = NULL;
    if (vp_domain_get_xml(dom, VP_DOMAIN_XML_INACTIVE | VP_DOMAIN_XML_SECURE, &xml) < 0)
        return vpsh_fail();
    domain_edit e = {.conn = vp_domain_get_conn(dom)};
    bool changed = false;
    int status = vpsh_edit_xml(xml, define_domain, &e, &changed);
    if (status != VPSH_EXIT_OK)
        return status;
    const char *name = vp_domain_get_name(e.defined ? e.defined : dom);
    const char *result = changed ? "edited" : "not changed";
    _cleanup_free_ char *text = vp_asprintf("Domain '%s' XML configuration %s.", name, result);
    vpsh_print_done(ctx, name, result, text);
    vp_domain_free(e.defined);
    return VPSH_EXIT_OK;
}
