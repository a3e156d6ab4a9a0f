/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-save.c: the test driver's save, restore and managed
 * save.
 *
 * Owns the test driver's save image (docs/test-driver.md: a 32-byte
 * header, then the domain's XML; the simulated guest has no memory to
 * keep) and the managed-save image, which lives in memory with the domain
 * as libvirt's test driver keeps it. A save writes its file through
 * vp_plugin_file_write_atomic(), so a partial image never has the target's
 * name, and stops the domain only once the file is whole. It never
 * replaces an existing file that is not such an image.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "builtin/test/test-driver.h"
#include "conf/xml-module.h"

#define IMAGE_MAGIC "VirtplugTestSave"
#define IMAGE_MAGIC_LEN 16
#define IMAGE_VERSION 1
#define IMAGE_HEADER_LEN 32
#define IMAGE_MAX_BYTES (16u << 20)

static void
put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* 0 when @path does not exist or is a test save image (a save may replace
 * it), else VP_ERR_EXISTS: a save never overwrites any other file. */
static int
check_target(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT
                   ? 0
                   : vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot check '%s'", path);
    if (S_ISREG(st.st_mode)) {
        char magic[IMAGE_MAGIC_LEN];
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        ssize_t n = fd < 0 ? -1 : read(fd, magic, sizeof(magic));
        if (fd >= 0)
            close(fd);
        if (n == (ssize_t)sizeof(magic) && memcmp(magic, IMAGE_MAGIC, sizeof(magic)) == 0)
            return 0;
    }
    return vp_error_set(
        VP_ERR_EXISTS,
        "'%s' exists and is not a save image; virtplug never overwrites it: remove it or choose another file",
        path);
}

/* Under host->lock: the XML of @dom. */
static int
domain_xml(const test_domain *dom, char **ret_xml)
{
    return dom->model ? vpi_domain_model_format(dom->model, ret_xml)
                      : vp_plugin_domain_def_format(dom->def, 0, ret_xml);
}

/* An image of @xml, restored in @paused state. */
static void
image_encode(const char *xml, bool paused, char **ret_data, size_t *ret_size)
{
    size_t len = strlen(xml);
    unsigned char *data = vp_new0(unsigned char, IMAGE_HEADER_LEN + len);
    memcpy(data, IMAGE_MAGIC, IMAGE_MAGIC_LEN);
    put_u32(data + 16, IMAGE_VERSION);
    put_u32(data + 20, paused ? VP_DOMAIN_PAUSED : VP_DOMAIN_RUNNING);
    put_u32(data + 24, (uint32_t)len);
    memcpy(data + IMAGE_HEADER_LEN, xml, len);
    *ret_data = (char *)data;
    *ret_size = IMAGE_HEADER_LEN + len;
}

/* Under host->lock: the image of @dom, saved in @paused state. */
static int
image_make(const test_domain *dom, bool paused, char **ret_data, size_t *ret_size)
{
    _cleanup_free_ char *xml = NULL;
    int r = domain_xml(dom, &xml);
    if (r >= 0)
        image_encode(xml, paused, ret_data, ret_size);
    return r;
}

/* The saved state and XML of the image @data: VP_ERR_INVALID_ARG unless
 * it is whole. @ret_xml points into @data (NUL-terminated by the reader). */
static int
image_parse(const char *path, const char *data, size_t size, bool *ret_paused, const char **ret_xml)
{
    const unsigned char *p = (const unsigned char *)data;
    if (size < IMAGE_HEADER_LEN || memcmp(p, IMAGE_MAGIC, IMAGE_MAGIC_LEN) != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "'%s' is not a save image of the test driver",
                            path);
    if (get_u32(p + 16) != IMAGE_VERSION)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "save image '%s' has version %u; this test driver reads version %u",
                            path, get_u32(p + 16), IMAGE_VERSION);
    uint32_t state = get_u32(p + 20), len = get_u32(p + 24);
    if ((state != VP_DOMAIN_RUNNING && state != VP_DOMAIN_PAUSED) ||
        size != IMAGE_HEADER_LEN + (size_t)len || memchr(data + IMAGE_HEADER_LEN, 0, len))
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "save image '%s' is damaged or incomplete; it cannot be restored",
                            path);
    *ret_paused = state == VP_DOMAIN_PAUSED;
    *ret_xml = data + IMAGE_HEADER_LEN;
    return 0;
}

/* The state a restore gives: @flags first, else the saved one. */
static bool
restore_paused(unsigned int flags, bool saved_paused)
{
    if (flags & VP_DOMAIN_SAVE_RUNNING)
        return false;
    return (flags & VP_DOMAIN_SAVE_PAUSED) || saved_paused;
}

/* Under host->lock: @dom runs again (reason restored), then pauses when
 * @paused (events: started restored, then suspended). */
static void
run_restored(test_host *host, test_domain *dom, bool paused)
{
    if (dom->state != VP_DOMAIN_RUNNING)
        test_domain_set_state(host, dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_RESTORED);
    if (paused)
        test_domain_set_state(host, dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
}

int
test_domain_save(void *priv, const char *name, const char *path, unsigned int flags)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    _cleanup_free_ char *data = NULL;
    size_t size = 0;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, name, &dom);
    if (r >= 0)
        r = test_require_active(dom, "save");
    if (r >= 0)
        r = check_target(path);
    if (r >= 0)
        r = image_make(dom, restore_paused(flags, dom->state == VP_DOMAIN_PAUSED), &data, &size);
    if (r >= 0)
        r = vp_plugin_file_write_atomic(path, data, size, 0600);
    /* Only a whole image stops the domain. */
    if (r >= 0)
        test_domain_set_state(host, dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SAVED);
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_domain_restore(void *priv, const char *path, unsigned int flags, char **ret_name)
{
    test_host *host = priv;
    _cleanup_free_ char *data = NULL;
    size_t size = 0;
    int r = vp_plugin_file_read_regular(path, IMAGE_MAX_BYTES, &data, &size);
    bool paused = false;
    const char *xml = NULL;
    if (r >= 0)
        r = image_parse(path, data, size, &paused, &xml);
    vp_domain_def *def = NULL;
    vpi_domain_model *model = NULL;
    if (r >= 0)
        r = vpi_domain_model_parse(xml, &def, &model);
    if (r < 0)
        return r;
    pthread_mutex_lock(&host->lock);
    test_domain *dom = test_host_find(host, def->name);
    const char *name = NULL;
    if (dom && dom->state != VP_DOMAIN_SHUTOFF) {
        r = vp_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is already active", dom->def->name);
        vp_plugin_domain_def_free(def);
        vpi_domain_model_free(model);
    } else {
        r = test_host_run_model(host, def, model, VP_DOMAIN_RUNNING_RESTORED, "restore", &name);
    }
    if (r >= 0) {
        dom = test_host_find(host, name);
        dom->clock_offset_ns = 0;
        dom->host_paused_at_ns = 0;
        run_restored(host, dom, restore_paused(flags, paused));
    }
    char *copy = r < 0 ? NULL : vp_strdup(name);
    pthread_mutex_unlock(&host->lock);
    if (r < 0)
        return r;
    *ret_name = copy;
    return 0;
}

void
test_domain_restore_managed(test_host *host, test_domain *dom)
{
    bool paused = dom->managed_save_paused;
    dom->managed_save = false;
    free(dom->managed_save_xml);
    dom->managed_save_xml = NULL;
    dom->managed_save_paused = false;
    run_restored(host, dom, paused);
}

int
test_domain_managed_save(void *priv, const char *name, unsigned int flags)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, name, &dom);
    if (r >= 0)
        r = test_require_active(dom, "save");
    if (r >= 0 && dom->transient)
        r = vp_error_set(VP_ERR_OPERATION_INVALID,
                         "cannot do managed save of transient domain '%s'; use 'save' with a file",
                         name);
    if (r >= 0) {
        dom->managed_save = true;
        free(dom->managed_save_xml);
        dom->managed_save_xml = NULL;
        dom->managed_save_paused = restore_paused(flags, dom->state == VP_DOMAIN_PAUSED);
        test_domain_set_state(host, dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SAVED);
    }
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_domain_has_managed_save(void *priv, const char *name, int *ret_has)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, name, &dom);
    if (r >= 0)
        *ret_has = dom->managed_save ? 1 : 0;
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_domain_managed_save_remove(void *priv, const char *name, unsigned int flags)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    int r = test_check_flags("domain-managed-save-remove", flags, 0);
    if (r < 0)
        return r;
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, name, &dom);
    if (r >= 0) {
        dom->managed_save = false;
        dom->managed_save_paused = false;
        free(dom->managed_save_xml);
        dom->managed_save_xml = NULL;
    }
    pthread_mutex_unlock(&host->lock);
    return r;
}

/* ---- The XML inside the images ---------------------------------------- */

int
test_domain_save_image_get_xml(void *priv, const char *path, unsigned int flags, char **ret_xml)
{
    (void)priv;
    _cleanup_free_ char *data = NULL;
    size_t size = 0;
    bool paused = false;
    const char *xml = NULL;
    int r = test_check_flags("domain-save-image-get-xml", flags, 0);
    if (r >= 0)
        r = vp_plugin_file_read_regular(path, IMAGE_MAX_BYTES, &data, &size);
    if (r >= 0)
        r = image_parse(path, data, size, &paused, &xml);
    if (r >= 0)
        *ret_xml = vp_strdup(xml);
    return r;
}

/* The image is rewritten whole through vp_plugin_file_write_atomic(): the
 * old one or the new one is under @path, never a part. */
int
test_domain_save_image_define_xml(void *priv, const char *path, const char *xml, unsigned int flags)
{
    (void)priv;
    _cleanup_free_ char *data = NULL, *image = NULL;
    size_t size = 0;
    bool paused = false;
    const char *old = NULL;
    int r = vp_plugin_file_read_regular(path, IMAGE_MAX_BYTES, &data, &size);
    if (r >= 0)
        r = image_parse(path, data, size, &paused, &old);
    if (r < 0)
        return r;
    image_encode(xml, restore_paused(flags, paused), &image, &size);
    return vp_plugin_file_write_atomic(path, image, size, 0600);
}

/* Under host->lock: @name's domain when it has a managed-save image. */
static int
managed_get(test_host *host, const char *name, test_domain **ret_dom)
{
    int r = test_host_get(host, name, ret_dom);
    if (r >= 0 && !(*ret_dom)->managed_save)
        r = vp_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' has no managed save image", name);
    return r;
}

int
test_domain_managed_save_get_xml(void *priv, const char *name, unsigned int flags, char **ret_xml)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    int r = test_check_flags("domain-managed-save-get-xml", flags, 0);
    if (r < 0)
        return r;
    pthread_mutex_lock(&host->lock);
    r = managed_get(host, name, &dom);
    if (r >= 0 && dom->managed_save_xml)
        *ret_xml = vp_strdup(dom->managed_save_xml);
    else if (r >= 0)
        r = domain_xml(dom, ret_xml);
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_domain_managed_save_define_xml(void *priv, const char *name, const char *xml,
                                    unsigned int flags)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = managed_get(host, name, &dom);
    if (r >= 0) {
        free(dom->managed_save_xml);
        dom->managed_save_xml = vp_strdup(xml);
        dom->managed_save_paused = restore_paused(flags, dom->managed_save_paused);
    }
    pthread_mutex_unlock(&host->lock);
    return r;
}
