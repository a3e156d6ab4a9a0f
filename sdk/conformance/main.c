/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * main.c: virtplug-plugin-check, the conformance kit for plugin authors.
 *
 * Owns the command line, the child process per check group, and the TAP
 * output: "1..N" at the end, "ok N - ..." / "not ok N - ...", "# ..." for
 * people, exit status 0 when every check passed, 1 otherwise, 2 for a
 * usage error. A child that crashes or hangs becomes a failed check naming
 * the signal or the timeout; the kit itself never loads the plugin, so it
 * survives whatever the plugin does.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kit.h"

kit_options kit_opts = {.threads = 4, .timeout_s = 120};

static int report_fd = -1; /* the child's end of the pipe */

static void
report(char kind, const char *reason, const char *fmt, va_list ap)
{
    _cleanup_free_ char *text = vp_vasprintf(fmt, ap);
    for (char *p = text; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    _cleanup_free_ char *line =
        reason ? vp_asprintf("%c%s\t%s\n", kind, text, reason) : vp_asprintf("%c%s\n", kind, text);
    size_t len = strlen(line);
    for (size_t off = 0; off < len;) {
        ssize_t n = write(report_fd, line + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(3);
        off += (size_t)n;
    }
}

bool
kit_check(bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(ok ? 'o' : 'n', NULL, fmt, ap);
    va_end(ap);
    return ok;
}

void
kit_skip(const char *reason, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report('s', reason, fmt, ap);
    va_end(ap);
}

void
kit_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report('#', NULL, fmt, ap);
    va_end(ap);
}

const char *
kit_error_message(void)
{
    const vp_error *e = vp_error_last();
    return e ? e->message : "no error";
}

/* The parent's side: TAP numbering across all groups. */
static unsigned int n_checks;
static unsigned int n_failed;

static void
print_line(const char *group, char *line)
{
    char kind = line[0];
    char *text = line + 1;
    char *reason = strchr(text, '\t');
    if (reason)
        *reason++ = '\0';
    switch (kind) {
    case 'o':
        printf("ok %u - %s: %s\n", ++n_checks, group, text);
        break;
    case 'n':
        printf("not ok %u - %s: %s\n", ++n_checks, group, text);
        n_failed++;
        break;
    case 's':
        printf("ok %u - %s: %s # SKIP %s\n", ++n_checks, group, text, reason ? reason : "");
        break;
    default:
        printf("# %s\n", text);
        break;
    }
}

static void fail_group(const char *group, const char *fmt, ...) KIT_PRINTF(2, 3);

static void
fail_group(const char *group, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    _cleanup_free_ char *text = vp_vasprintf(fmt, ap);
    va_end(ap);
    printf("not ok %u - %s: %s\n", ++n_checks, group, text);
    n_failed++;
}

/* Read the child's reports until EOF or the deadline; false on timeout. */
static bool
read_reports(const char *group, int fd, time_t deadline)
{
    char buf[8192];
    size_t used = 0;
    for (;;) {
        int left_ms = (int)(deadline - time(NULL)) * 1000;
        if (left_ms <= 0)
            return false;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = poll(&pfd, 1, left_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        ssize_t n = read(fd, buf + used, sizeof(buf) - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return true;
        used += (size_t)n;
        buf[used] = '\0';
        char *start = buf, *nl;
        while ((nl = strchr(start, '\n'))) {
            *nl = '\0';
            print_line(group, start);
            start = nl + 1;
        }
        used = strlen(start);
        memmove(buf, start, used + 1);
        if (used == sizeof(buf) - 1)
            used = 0; /* an absurdly long line: drop it */
    }
}

static void
run_group(const char *group, void (*fn)(void))
{
    int fds[2];
    fflush(stdout);
    if (pipe(fds) < 0) {
        fail_group(group, "cannot create a pipe: %s", strerror(errno));
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        fail_group(group, "cannot fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        report_fd = fds[1];
        fn();
        _exit(0);
    }
    close(fds[1]);
    bool done = read_reports(group, fds[0], time(NULL) + (time_t)kit_opts.timeout_s);
    close(fds[0]);
    if (!done)
        kill(pid, SIGKILL);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!done)
        fail_group(group, "timed out after %u s (a slot hangs or deadlocks); rerun with --timeout",
                   kit_opts.timeout_s);
    else if (WIFSIGNALED(status))
        fail_group(group, "crashed with signal %d (%s); run the plugin under gdb or valgrind",
                   WTERMSIG(status), strsignal(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 0)
        fail_group(group, "the checks exited with status %d", WEXITSTATUS(status));
}

static void
usage(FILE *out)
{
    fprintf(out, "Usage: virtplug-plugin-check [OPTION]... FILE.so\n"
                 "       virtplug-plugin-check [OPTION]... --uri URI\n"
                 "Check that a virtplug plugin follows the plugin ABI: descriptor, name,\n"
                 "ABI version, init and fini, and that every slot it leaves empty answers\n"
                 "'not supported'. With --uri, also open URI and run the generic driver\n"
                 "checks (list, lookup, state, XML, errors) and a concurrency check.\n"
                 "With --lifecycle XML, also define the scratch domain XML describes, start,\n"
                 "pause, resume, destroy and undefine it (this changes the host).\n"
                 "Without FILE, checks the driver built into libvirtplug named by URI.\n"
                 "Output is TAP; the exit status is 0 when every check passed.\n\n"
                 "  -u, --uri URI        a URI the plugin serves (its scheme is its name)\n"
                 "  -l, --lifecycle XML  run the lifecycle checks on a scratch domain defined\n"
                 "                       from the file XML (its name must be unused; needs --uri)\n"
                 "  -j, --threads N      threads of the concurrency check (default 4)\n"
                 "  -t, --timeout SEC    limit for each group of checks (default 120)\n"
                 "  -h, --help           show this help\n"
                 "  -V, --version        show the version\n");
}

static bool
parse_uint(const char *s, unsigned int min, unsigned int max, unsigned int *ret)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return false;
    *ret = (unsigned int)v;
    return true;
}

/* Fill kit_opts.name (and make file absolute) from FILE or --uri. */
static int
resolve_target(const char *file)
{
    if (file) {
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        size_t n = strlen(base);
        if (n < 4 || strcmp(base + n - 3, ".so") != 0) {
            fprintf(stderr, "virtplug-plugin-check: '%s' is not a plugin file NAME.so\n", file);
            return -1;
        }
        kit_opts.name = vp_strndup(base, n - 3);
        if (file[0] == '/') {
            kit_opts.file = file;
        } else {
            char cwd[4096];
            if (!getcwd(cwd, sizeof(cwd))) {
                fprintf(stderr, "virtplug-plugin-check: cannot get the current directory\n");
                return -1;
            }
            kit_opts.file = vp_asprintf("%s/%s", cwd, file);
        }
        return 0;
    }
    const char *sep = kit_opts.uri ? strstr(kit_opts.uri, "://") : NULL;
    if (!sep || sep == kit_opts.uri) {
        fprintf(stderr,
                "virtplug-plugin-check: give a plugin file, or --uri for a built-in driver\n");
        return -1;
    }
    kit_opts.name = vp_strndup(kit_opts.uri, (size_t)(sep - kit_opts.uri));
    return 0;
}

static int
parse_args(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"uri", required_argument, NULL, 'u'},
        {"threads", required_argument, NULL, 'j'},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"lifecycle", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "u:j:t:l:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'u':
            kit_opts.uri = optarg;
            break;
        case 'l':
            kit_opts.lifecycle_xml = optarg;
            break;
        case 'j':
            if (!parse_uint(optarg, 1, 64, &kit_opts.threads)) {
                fprintf(stderr, "virtplug-plugin-check: --threads needs a number from 1 to 64\n");
                return -1;
            }
            break;
        case 't':
            if (!parse_uint(optarg, 1, 86400, &kit_opts.timeout_s)) {
                fprintf(stderr, "virtplug-plugin-check: --timeout needs a number of seconds\n");
                return -1;
            }
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case 'V':
            printf("virtplug-plugin-check %s (plugin ABI %d.%d)\n", PACKAGE_VERSION,
                   VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
    }
    if (argc - optind > 1) {
        usage(stderr);
        return -1;
    }
    if (kit_opts.lifecycle_xml && !kit_opts.uri) {
        fprintf(stderr, "virtplug-plugin-check: --lifecycle needs --uri, the URI to define the "
                        "scratch domain on\n");
        return -1;
    }
    return resolve_target(optind < argc ? argv[optind] : NULL);
}

/* Which groups apply: ask a child what the plugin provides, so the parent
 * never loads it. Returns VP_PLUGIN_KIND_* bits, 0 when it did not load. */
static void
probe_kinds(void)
{
    vp_registry_entry *entry = NULL;
    if (kit_load(&entry) >= 0)
        _exit((int)entry->kinds);
    _exit(0);
}

static unsigned int
plugin_kinds(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        /* The load group reports how it fails; this child stays silent. */
        probe_kinds();
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? (unsigned int)WEXITSTATUS(status) : 0;
}

/* A hypervisor plugin serves the URIs whose scheme is its name; the
 * plugin 'remote' serves DRIVER+ssh:// (docs/remote-protocol.md). */
static bool
uri_names_plugin(void)
{
    size_t n = strlen(kit_opts.name);
    const char *sep = strstr(kit_opts.uri, "://");
    if (strcmp(kit_opts.name, "remote") == 0 && sep)
        return sep - kit_opts.uri > 4 && strncmp(sep - 4, "+ssh", 4) == 0;
    return strncmp(kit_opts.uri, kit_opts.name, n) == 0 && strncmp(kit_opts.uri + n, "://", 3) == 0;
}

int
main(int argc, char **argv)
{
    if (parse_args(argc, argv) < 0)
        return 2;
    printf("# virtplug-plugin-check %s: plugin '%s' %s%s%s\n", PACKAGE_VERSION, kit_opts.name,
           kit_opts.file ? kit_opts.file : "(built in)", kit_opts.uri ? " with URI " : "",
           kit_opts.uri ? kit_opts.uri : "");
    unsigned int kinds = plugin_kinds();
    if ((kinds & VP_PLUGIN_KIND_HYPERVISOR) && kit_opts.uri && !uri_names_plugin()) {
        fprintf(
            stderr,
            "virtplug-plugin-check: the scheme of '%s' does not name plugin '%s'; use '%s:///...'\n",
            kit_opts.uri, kit_opts.name, kit_opts.name);
        return 2;
    }
    run_group("load", kit_group_load);
    if (kit_opts.file)
        run_group("elf", kit_group_elf);
    if (kinds) {
        run_group("empty slots", kit_group_slots);
        if ((kinds & VP_PLUGIN_KIND_HYPERVISOR) && kit_opts.uri) {
            run_group("driver", kit_group_driver);
            run_group("threads", kit_group_threads);
            if (kit_opts.lifecycle_xml)
                run_group("lifecycle", kit_group_lifecycle);
            else
                printf("# no --lifecycle: define, start, suspend, resume, destroy and undefine "
                       "were not exercised\n");
        } else if (kinds & VP_PLUGIN_KIND_HYPERVISOR) {
            printf("# no --uri: the driver and concurrency checks did not run\n");
        }
        if (kinds & VP_PLUGIN_KIND_HOSTPOWER)
            run_group("hostpower", kit_group_hostpower);
        run_group("fini", kit_group_fini);
    }
    printf("1..%u\n", n_checks);
    printf("# %u of %u checks failed\n", n_failed, n_checks);
    return n_failed ? 1 : 0;
}
