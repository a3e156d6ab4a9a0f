/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-hostpower.c: the test driver's simulated host power.
 *
 * Owns the in-memory host behind test:/// connections: it can do all three
 * targets, keeps its wake alarm in memory and "sleeps" for a short
 * simulated time before it resumes. The policy (limits, lock, delay thread,
 * outcome record) is the real one in node-suspend.c. It must never touch the
 * real host: no file, no command, no RTC.
 *
 * URI parameters (each optional):
 *   suspend_delay_ms=N   delay before the simulated suspend (default 1000)
 *   hostpower_sleep_ms=N how long the simulated host sleeps (default 100)
 *   hostpower_caps=LIST  targets it can do, "mem,disk,hybrid,suspend-then-hibernate"
 *                         (default: all) or "none"
 *   hostpower_fail=STEP  make one step fail: "arm", "clear" or "suspend"
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <time.h>

#include "internal.h"
#include "builtin/test/test-hostpower.h"

#define TEST_HP_DEFAULT_DELAY_MS 1000u
#define TEST_HP_DEFAULT_SLEEP_MS 100u

typedef struct test_hp {
    pthread_mutex_t lock;
    unsigned int delay_ms;
    unsigned int sleep_ms;
    unsigned int caps;
    char *fail; /* "arm", "clear", "suspend" or NULL */
    bool armed;
    char *log;
} test_hp;

static void
test_hp_log(test_hp *hp, const char *word)
{
    char *log = vp_asprintf("%s%s%s", hp->log ? hp->log : "", hp->log ? " " : "", word);
    free(hp->log);
    hp->log = log;
}

static int
param_uint(const vp_plugin_uri *uri, const char *key, unsigned int fallback, unsigned int *ret)
{
    const char *v = vp_plugin_uri_get_param(uri, key);
    if (!v) {
        *ret = fallback;
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0 || n > UINT_MAX)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "URI parameter '%s' needs an unsigned integer, not '%s'", key, v);
    *ret = (unsigned int)n;
    return 0;
}

static int
param_caps(const vp_plugin_uri *uri, unsigned int *ret)
{
    const char *v = vp_plugin_uri_get_param(uri, "hostpower_caps");
    unsigned int caps = 0;
    if (!v) {
        *ret = (1u << VP_NODE_SUSPEND_TARGET_LAST) - 1;
        return 0;
    }
    _cleanup_free_ char *copy = vp_strdup(v);
    char *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        unsigned int i = 0;
        while (i < VP_NODE_SUSPEND_TARGET_LAST && strcmp(vp_node_suspend_target_name(i), t) != 0)
            i++;
        if (i < VP_NODE_SUSPEND_TARGET_LAST)
            caps |= 1u << i;
        else if (strcmp(t, "none") != 0)
            return vp_error_set(
                VP_ERR_INVALID_ARG,
                "URI parameter 'hostpower_caps': unknown target '%s'; use mem, disk, hybrid, suspend-then-hibernate or none",
                t);
    }
    *ret = caps;
    return 0;
}

static void
test_hp_close(void *priv)
{
    test_hp *hp = priv;
    if (!hp)
        return;
    pthread_mutex_destroy(&hp->lock);
    free(hp->fail);
    free(hp->log);
    free(hp);
}
VP_DEFINE_CLEANUP(test_hp, test_hp_close)

static int
test_hp_open(const vp_plugin_uri *uri, void **ret_priv)
{
    _cleanup_(test_hp_closep) test_hp *hp = vp_new0(test_hp, 1);
    pthread_mutex_init(&hp->lock, NULL);
    int r = param_uint(uri, "suspend_delay_ms", TEST_HP_DEFAULT_DELAY_MS, &hp->delay_ms);
    if (r >= 0)
        r = param_uint(uri, "hostpower_sleep_ms", TEST_HP_DEFAULT_SLEEP_MS, &hp->sleep_ms);
    if (r >= 0)
        r = param_caps(uri, &hp->caps);
    if (r < 0)
        return r;
    const char *fail = vp_plugin_uri_get_param(uri, "hostpower_fail");
    if (fail && strcmp(fail, "arm") != 0 && strcmp(fail, "clear") != 0 &&
        strcmp(fail, "suspend") != 0)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "URI parameter 'hostpower_fail': unknown step '%s'; use arm, clear or suspend", fail);
    hp->fail = vp_strdup(fail);
    *ret_priv = VP_STEAL_PTR(hp);
    return 0;
}

static bool
test_hp_fails(const test_hp *hp, const char *step)
{
    return hp->fail && strcmp(hp->fail, step) == 0;
}

static int
test_hp_get_capabilities(void *priv, unsigned int *ret_targets)
{
    test_hp *hp = priv;
    *ret_targets = hp->caps;
    return 0;
}

static int
test_hp_get_suspend_delay_ms(void *priv, unsigned int *ret_delay_ms)
{
    test_hp *hp = priv;
    *ret_delay_ms = hp->delay_ms;
    return 0;
}

static int
test_hp_wake_alarm_arm(void *priv, uint64_t duration_s, int64_t *ret_wake_at_us)
{
    test_hp *hp = priv;
    if (test_hp_fails(hp, "arm"))
        return vp_error_set(
            VP_ERR_SYSTEM,
            "cannot arm the simulated wake alarm: failure injected by 'hostpower_fail=arm'");
    char word[32];
    snprintf(word, sizeof(word), "arm:%llu", (unsigned long long)duration_s);
    pthread_mutex_lock(&hp->lock);
    hp->armed = true;
    test_hp_log(hp, word);
    pthread_mutex_unlock(&hp->lock);
    *ret_wake_at_us = vp_plugin_now_us() + (int64_t)duration_s * 1000000;
    return 0;
}

static int
test_hp_wake_alarm_clear(void *priv)
{
    test_hp *hp = priv;
    if (test_hp_fails(hp, "clear"))
        return vp_error_set(
            VP_ERR_SYSTEM,
            "cannot clear the simulated wake alarm: failure injected by 'hostpower_fail=clear'");
    pthread_mutex_lock(&hp->lock);
    hp->armed = false;
    test_hp_log(hp, "clear");
    pthread_mutex_unlock(&hp->lock);
    return 0;
}

static int
test_hp_suspend(void *priv, unsigned int target, int *ret_state)
{
    test_hp *hp = priv;
    char word[32];
    snprintf(word, sizeof(word), "suspend:%s", vp_node_suspend_target_name(target));
    pthread_mutex_lock(&hp->lock);
    test_hp_log(hp, word);
    pthread_mutex_unlock(&hp->lock);
    if (test_hp_fails(hp, "suspend"))
        return vp_error_set(
            VP_ERR_SYSTEM,
            "simulated suspend to '%s' failed: failure injected by 'hostpower_fail=suspend'",
            vp_node_suspend_target_name(target));
    struct timespec ts = {.tv_sec = hp->sleep_ms / 1000,
                          .tv_nsec = (hp->sleep_ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
    *ret_state = VP_NODE_SUSPEND_RESUMED;
    return 0;
}

void
vpi_test_hostpower_inspect(void *priv, bool *ret_armed, char **ret_log)
{
    test_hp *hp = priv;
    pthread_mutex_lock(&hp->lock);
    *ret_armed = hp->armed;
    *ret_log = vp_strdup(hp->log ? hp->log : "");
    pthread_mutex_unlock(&hp->lock);
}

const vp_hostpower_driver vpi_test_hostpower_driver = {
    .open = test_hp_open,
    .close = test_hp_close,
    .get_capabilities = test_hp_get_capabilities,
    .get_suspend_delay_ms = test_hp_get_suspend_delay_ms,
    .wake_alarm_arm = test_hp_wake_alarm_arm,
    .wake_alarm_clear = test_hp_wake_alarm_clear,
    .suspend = test_hp_suspend,
};
