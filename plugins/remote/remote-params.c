/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-params.c: typed parameters (statistics) in the "str" of a reply
 * of protocol 5: a JSON array of [key, type, value] triples, written from
 * a vp_typed_params list and read back into one with the SDK's builders;
 * and a list of strings (the mount points of a freeze) as a JSON array.
 */
#include <config.h>

#include <json-c/json.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/sdk/stats.h>

#include "remote-proto.h"

char *
remote_params_format(const vp_typed_params *params)
{
    json_object *a = json_object_new_array();
    int n = vp_typed_params_count(params);
    for (int i = 0; i < n; i++) {
        const char *field = vp_typed_params_field(params, i);
        int type = vp_typed_params_type(params, i);
        json_object *v = NULL;
        unsigned long long u = 0;
        long long l = 0;
        double d = 0;
        const char *str = NULL;
        switch (type) {
        case VP_TYPED_PARAM_INT:
        case VP_TYPED_PARAM_LLONG:
            vp_typed_params_get_llong(params, field, &l);
            v = json_object_new_int64(l);
            break;
        case VP_TYPED_PARAM_UINT:
        case VP_TYPED_PARAM_ULLONG:
        case VP_TYPED_PARAM_BOOLEAN:
            vp_typed_params_get_ullong(params, field, &u);
            v = json_object_new_uint64(u);
            break;
        case VP_TYPED_PARAM_DOUBLE:
            vp_typed_params_get_double(params, field, &d);
            v = json_object_new_double(d);
            break;
        case VP_TYPED_PARAM_STRING:
            vp_typed_params_get_string(params, field, &str);
            v = json_object_new_string(str ? str : "");
            break;
        default:
            continue; /* a type of a later version: this side cannot read it */
        }
        json_object *t = json_object_new_array();
        json_object_array_add(t, json_object_new_string(field));
        json_object_array_add(t, json_object_new_int(type));
        json_object_array_add(t, v);
        json_object_array_add(a, t);
    }
    char *text = vp_strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
    json_object_put(a);
    return text;
}

/* Append the triple @t to @params; false when it is not one. */
static bool
param_add(json_object *t, vp_typed_params *params)
{
    if (!json_object_is_type(t, json_type_array) || json_object_array_length(t) != 3)
        return false;
    json_object *k = json_object_array_get_idx(t, 0), *ty = json_object_array_get_idx(t, 1),
                *v = json_object_array_get_idx(t, 2);
    if (!json_object_is_type(k, json_type_string) || !json_object_is_type(ty, json_type_int))
        return false;
    const char *field = json_object_get_string(k);
    int64_t type = json_object_get_int64(ty);
    bool number = json_object_is_type(v, json_type_int);
    if (type == VP_TYPED_PARAM_STRING && json_object_is_type(v, json_type_string)) {
        vp_plugin_typed_params_add_string(params, json_object_get_string(v), "%s", field);
    } else if (type == VP_TYPED_PARAM_DOUBLE &&
               (number || json_object_is_type(v, json_type_double))) {
        vp_plugin_typed_params_add_double(params, json_object_get_double(v), "%s", field);
    } else if (!number) {
        return false;
    } else if (type == VP_TYPED_PARAM_ULLONG || type == VP_TYPED_PARAM_UINT ||
               type == VP_TYPED_PARAM_BOOLEAN) {
        uint64_t u = json_object_get_uint64(v);
        if (json_object_get_int64(v) < 0 || (type != VP_TYPED_PARAM_ULLONG && u > UINT32_MAX) ||
            (type == VP_TYPED_PARAM_BOOLEAN && u > 1))
            return false;
        if (type == VP_TYPED_PARAM_ULLONG)
            vp_plugin_typed_params_add_ullong(params, u, "%s", field);
        else
            vp_plugin_typed_params_add_uint(params, (unsigned int)u, "%s", field);
    } else if (type == VP_TYPED_PARAM_LLONG || type == VP_TYPED_PARAM_INT) {
        int64_t l = json_object_get_int64(v);
        if (type == VP_TYPED_PARAM_INT && (l < INT32_MIN || l > INT32_MAX))
            return false;
        if (type == VP_TYPED_PARAM_LLONG)
            vp_plugin_typed_params_add_llong(params, l, "%s", field);
        else
            vp_plugin_typed_params_add_int(params, (int)l, "%s", field);
    } else {
        return false;
    }
    return true;
}

int
remote_params_parse(const char *text, const char *peer, vp_typed_params *params)
{
    json_object *a = json_tokener_parse(text);
    int r = 0;
    if (!a || !json_object_is_type(a, json_type_array))
        r = vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "host '%s' broke the remote protocol: statistics that are not a JSON array", peer);
    size_t n = r >= 0 ? json_object_array_length(a) : 0;
    for (size_t i = 0; r >= 0 && i < n; i++)
        if (!param_add(json_object_array_get_idx(a, i), params))
            r = vp_plugin_error_set(
                VP_ERR_PROTOCOL,
                "host '%s' broke the remote protocol: statistic %zu is not a [key, type, value] of one of the types",
                peer, i);
    json_object_put(a);
    return r;
}

char *
remote_strings_format(const char *const *v, size_t n)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < n; i++)
        json_object_array_add(a, json_object_new_string(v[i]));
    char *text = vp_strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
    json_object_put(a);
    return text;
}

int
remote_strings_parse(const char *text, const char *peer, char ***ret_v, size_t *ret_n)
{
    json_object *a = json_tokener_parse(text ? text : "[]");
    size_t n = json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
    char **v = vp_new0(char *, n + 1);
    int r = a && json_object_is_type(a, json_type_array) ? 0 : -1;
    for (size_t i = 0; r == 0 && i < n; i++) {
        json_object *s = json_object_array_get_idx(a, i);
        if (!json_object_is_type(s, json_type_string))
            r = -1;
        else
            v[i] = vp_strdup(json_object_get_string(s));
    }
    json_object_put(a);
    if (r < 0) {
        vp_strv_free(v);
        return vp_plugin_error_set(VP_ERR_PROTOCOL,
                                   "%s sent a list that is no JSON array of strings", peer);
    }
    *ret_v = v;
    *ret_n = n;
    return 0;
}
