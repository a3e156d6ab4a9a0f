/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * run.c: running vpsh commands, one or a chain of them.
 *
 * Owns what every command shares around its verb: splitting a line as
 * virsh does (words, quotes, backslashes, '#' comments, ';' and newlines
 * between commands), the blank line virsh prints after each command it
 * ran (not under -q), and the --json envelope
 * {command, ok, result | error} of each command. A failed command does not
 * stop a chain: the chain's status is its last command's, as virsh's. It
 * never looks inside a verb's result.
 */
#include <config.h>

#include "vpsh.h"

static void
words_add(char ***words, size_t *n, char *word)
{
    *words = vp_renew(char *, *words, *n + 1);
    (*words)[(*n)++] = word;
}

void
vpsh_words_free(char **words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
}

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* One word at *p: quotes group, a backslash escapes (not inside '...'). */
static char *
split_word(const char **p, char *ret_quote)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        abort();
    char quote = 0;
    const char *s = *p;
    while (*s && (quote || (!is_blank(*s) && *s != ';' && *s != '\n'))) {
        if (!quote && (*s == '\'' || *s == '"'))
            quote = *s++;
        else if (quote && *s == quote)
            quote = 0, s++;
        else if (*s == '\\' && quote != '\'' && s[1])
            fputc(s[1], f), s += 2;
        else
            fputc(*s++, f);
    }
    fclose(f);
    *p = s;
    *ret_quote = quote;
    return buf;
}

int
vpsh_split(const char *line, char ***ret_words, size_t *ret_n)
{
    char **words = NULL;
    size_t n = 0;
    bool in_cmd = false;
    for (const char *p = line; *p;) {
        if (is_blank(*p)) {
            p++;
        } else if (*p == ';' || *p == '\n') {
            if (in_cmd)
                words_add(&words, &n, NULL);
            in_cmd = false;
            p++;
        } else if (*p == '#') {
            while (*p && *p != '\n')
                p++;
        } else {
            char quote;
            char *word = split_word(&p, &quote);
            if (quote) {
                free(word);
                vpsh_words_free(words, n);
                return vpsh_failf("missing %c at the end of the command line", quote), -1;
            }
            words_add(&words, &n, word);
            in_cmd = true;
        }
    }
    if (in_cmd)
        words_add(&words, &n, NULL);
    *ret_words = words;
    *ret_n = n;
    return 0;
}

/* Parse and run one verb; *ret_ran says whether it got past parsing. */
static int
run_verb(vpsh_ctx *ctx, const vpsh_cmd *cmd, int argc, char **argv, bool *ret_ran)
{
    vpsh_args args;
    bool help = false, json = false;
    int status = vpsh_args_parse(cmd, argc, argv, &args, &help, &json);
    if (status != 0)
        return status;
    *ret_ran = true;
    ctx->cmd = cmd;
    if (help && ctx->json)
        vpsh_cmd_help_json(ctx->js, cmd);
    else if (help)
        vpsh_print_cmd_help(stdout, cmd);
    else
        status = cmd->run(ctx, &args);
    vpsh_args_clear(&args);
    return status;
}

/* The command's --json envelope in the run's document. */
static void
envelope(vpsh_ctx *ctx, const char *name, int status, const char *doc)
{
    vpsh_json *js = ctx->run_js;
    vpsh_json_begin_object(js, NULL);
    vpsh_json_string(js, "command", name);
    vpsh_json_bool(js, "ok", status == VPSH_EXIT_OK);
    if (doc[0] && (status == VPSH_EXIT_OK || ctx->json_on_failure))
        vpsh_json_raw(js, "result", doc);
    if (status != VPSH_EXIT_OK) {
        const char *code = NULL;
        const char *message = vpsh_last_error(&code);
        vpsh_json_begin_object(js, "error");
        vpsh_json_string(js, "code", code);
        vpsh_json_string(js, "message", message);
        vpsh_json_int(js, "status", status);
        vpsh_json_end_object(js);
    }
    vpsh_json_end_object(js);
}

static int
run_one(vpsh_ctx *ctx, int argc, char **argv)
{
    char *doc = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&doc, &size);
    if (!mem)
        abort();
    vpsh_error_reset();
    ctx->js = vpsh_json_new(mem);
    ctx->json_on_failure = false;
    bool ran = false;
    int status;
    const vpsh_cmd *cmd = vpsh_cmd_find(argv[0]);
    if (cmd)
        status = run_verb(ctx, cmd, argc - 1, argv + 1, &ran);
    else if (vpsh_nodriver(argv[0]))
        status = vpsh_failf("%s", vpsh_nodriver(argv[0]));
    else
        status = vpsh_failf("unknown command: '%s'", argv[0]);
    vpsh_json_free(ctx->js);
    ctx->js = NULL;
    fclose(mem);
    if (ctx->json)
        envelope(ctx, argv[0], status, doc ? doc : "");
    else if (ran && !ctx->quiet && (status != VPSH_EXIT_OK || !(cmd->flags & VPSH_CMD_NO_BLANK)))
        putchar('\n');
    free(doc);
    fflush(stdout);
    return status;
}

/* --json anywhere before a command's "--" applies to the whole run. */
static void
prescan_json(vpsh_ctx *ctx, char **words, size_t n)
{
    bool options = true;
    for (size_t i = 0; i < n; i++) {
        if (!words[i])
            options = true;
        else if (strcmp(words[i], "--") == 0)
            options = false;
        else if (options && strcmp(words[i], "--json") == 0)
            ctx->json = true;
    }
}

static size_t
count_commands(char **words, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += words[i] == NULL;
    return c;
}

/* Run the NULL-separated commands of @words; the last one's status. */
static int
run_words(vpsh_ctx *ctx, char **words, size_t n)
{
    int status = VPSH_EXIT_OK;
    for (size_t start = 0; start < n && !ctx->quit;) {
        size_t end = start;
        while (words[end])
            end++;
        status = run_one(ctx, (int)(end - start), words + start);
        start = end + 1;
    }
    return status;
}

void
vpsh_run_begin(vpsh_ctx *ctx, bool several)
{
    ctx->run_several = several;
    if (ctx->json && several)
        vpsh_json_begin_array(ctx->run_js, NULL);
}

void
vpsh_run_end(vpsh_ctx *ctx)
{
    if (ctx->json && ctx->run_several)
        vpsh_json_end_array(ctx->run_js);
}

/* Run @words as a whole run (one document with --json); takes them. */
static int
run_all(vpsh_ctx *ctx, char **words, size_t n)
{
    prescan_json(ctx, words, n);
    vpsh_run_begin(ctx, count_commands(words, n) != 1);
    int status = run_words(ctx, words, n);
    vpsh_run_end(ctx);
    vpsh_words_free(words, n);
    return status;
}

int
vpsh_run_string(vpsh_ctx *ctx, const char *line)
{
    char **words = NULL;
    size_t n = 0;
    if (vpsh_split(line, &words, &n) < 0)
        return VPSH_EXIT_USAGE;
    return run_all(ctx, words, n);
}

int
vpsh_run_line(vpsh_ctx *ctx, const char *line)
{
    char **words = NULL;
    size_t n = 0;
    if (vpsh_split(line, &words, &n) < 0)
        return VPSH_EXIT_USAGE;
    prescan_json(ctx, words, n);
    int status = run_words(ctx, words, n);
    vpsh_words_free(words, n);
    return n > 0 ? status : -1;
}

int
vpsh_run_argv(vpsh_ctx *ctx, int argc, char **argv)
{
    char **words = NULL;
    size_t n = 0;
    bool in_cmd = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], ";") == 0) {
            if (in_cmd)
                words_add(&words, &n, NULL);
            in_cmd = false;
        } else {
            words_add(&words, &n, vp_strdup(argv[i]));
            in_cmd = true;
        }
    }
    if (in_cmd)
        words_add(&words, &n, NULL);
    return run_all(ctx, words, n);
}
