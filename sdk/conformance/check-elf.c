/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * check-elf.c: the kit's checks of the plugin file as an ELF object, for
 * the rules no loader check can see: exactly one exported symbol (the
 * descriptor), no ELF constructors or destructors (they run inside
 * the dynamic loader, before the descriptor is checked), no exit handlers or
 * thread-local destructors, no dlclose().
 *
 * Owns only a bounds-checked reading of the file's section headers and
 * dynamic symbols; it never maps or runs the file. Files of another ELF
 * class than the kit's are reported, not parsed.
 */
#include <config.h>

#include <ctype.h>
#include <link.h>

#include <virtplug/sdk/services.h>

#include "kit.h"

#define KIT_MAX_PLUGIN_BYTES (256u * 1024 * 1024)

typedef struct elf_file {
    const unsigned char *data;
    size_t size;
    const ElfW(Shdr) * shdrs;
    size_t n_shdrs;
    const char *shstrtab;
    size_t shstrtab_size;
} elf_file;

static bool
in_file(const elf_file *f, uint64_t off, uint64_t len)
{
    return off <= f->size && len <= f->size - off;
}

static const char *
section_name(const elf_file *f, const ElfW(Shdr) * sh)
{
    if (sh->sh_name >= f->shstrtab_size)
        return "";
    const char *name = f->shstrtab + sh->sh_name;
    return memchr(name, '\0', f->shstrtab_size - sh->sh_name) ? name : "";
}

static const ElfW(Shdr) * find_section(const elf_file *f, const char *name)
{
    for (size_t i = 0; i < f->n_shdrs; i++)
        if (strcmp(section_name(f, &f->shdrs[i]), name) == 0)
            return &f->shdrs[i];
    return NULL;
}

/* Validate the headers; on failure the reason is reported and false returned. */
static bool
elf_open(elf_file *f)
{
    const ElfW(Ehdr) *eh = (const void *)f->data;
    if (f->size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return kit_check(false, "the file is an ELF object");
    if (eh->e_ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)) {
        kit_skip("the file's ELF class differs from the kit's", "ELF checks");
        return false;
    }
    if (!kit_check(eh->e_type == ET_DYN, "the file is an ELF shared object"))
        return false;
    if (eh->e_shentsize != sizeof(ElfW(Shdr)) || eh->e_shoff % _Alignof(ElfW(Shdr)) != 0 ||
        !in_file(f, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(ElfW(Shdr))) ||
        eh->e_shstrndx >= eh->e_shnum)
        return kit_check(false, "the file's section headers are readable");
    f->shdrs = (const void *)(f->data + eh->e_shoff);
    f->n_shdrs = eh->e_shnum;
    const ElfW(Shdr) *strs = &f->shdrs[eh->e_shstrndx];
    if (!in_file(f, strs->sh_offset, strs->sh_size))
        return kit_check(false, "the file's section names are readable");
    f->shstrtab = (const char *)f->data + strs->sh_offset;
    f->shstrtab_size = strs->sh_size;
    return true;
}

/* What the dynamic symbol table says. */
typedef struct elf_symbols {
    char *exports;    /* defined global symbols but the descriptor, comma-separated */
    char *exit_hooks; /* undefined symbols that register exit-time code */
    bool has_entry;   /* the descriptor symbol is exported */
    bool sanitizer;   /* built with ASan/UBSan/TSan, which add their own constructors */
} elf_symbols;

static bool
is_sanitizer_symbol(const char *name)
{
    return strncmp(name, "__asan", 6) == 0 || strncmp(name, "___asan", 7) == 0 ||
           strncmp(name, "__odr_asan", 10) == 0 || strncmp(name, "__ubsan", 7) == 0 ||
           strncmp(name, "__tsan", 6) == 0;
}

static bool
is_exit_hook(const char *name)
{
    static const char *const hooks[] = {
        "__cxa_atexit", "atexit", "on_exit", "__cxa_thread_atexit", "__cxa_thread_atexit_impl",
        "dlclose",      NULL};
    for (size_t i = 0; hooks[i]; i++)
        if (strcmp(name, hooks[i]) == 0)
            return true;
    return false;
}

static void
append(char **list, const char *name)
{
    char *old = *list;
    *list = old ? vp_asprintf("%s, %s", old, name) : vp_strdup(name);
    free(old);
}

static void
classify_symbol(const ElfW(Sym) * s, const char *name, const char *entry, elf_symbols *out)
{
    int bind = ELF64_ST_BIND(s->st_info);
    if (!*name)
        return;
    if (is_sanitizer_symbol(name)) {
        out->sanitizer = true;
        return;
    }
    if (s->st_shndx == SHN_UNDEF) {
        if (is_exit_hook(name))
            append(&out->exit_hooks, name);
        return;
    }
    if (bind != STB_GLOBAL && bind != STB_WEAK)
        return;
    if (strcmp(name, entry) == 0)
        out->has_entry = true;
    else if (strcmp(name, "_init") != 0 && strcmp(name, "_fini") != 0)
        append(&out->exports, name);
}

static bool
read_symbols(const elf_file *f, const char *entry, elf_symbols *out)
{
    const ElfW(Shdr) *dynsym = find_section(f, ".dynsym");
    if (!dynsym || dynsym->sh_link >= f->n_shdrs || dynsym->sh_entsize != sizeof(ElfW(Sym)) ||
        dynsym->sh_offset % _Alignof(ElfW(Sym)) != 0 ||
        !in_file(f, dynsym->sh_offset, dynsym->sh_size))
        return kit_check(false, "the file has a readable dynamic symbol table");
    const ElfW(Shdr) *dynstr = &f->shdrs[dynsym->sh_link];
    if (!in_file(f, dynstr->sh_offset, dynstr->sh_size))
        return kit_check(false, "the file has a readable dynamic string table");
    const char *strs = (const char *)f->data + dynstr->sh_offset;
    const ElfW(Sym) *syms = (const void *)(f->data + dynsym->sh_offset);
    for (size_t i = 0; i < dynsym->sh_size / sizeof(ElfW(Sym)); i++) {
        if (syms[i].st_name >= dynstr->sh_size ||
            !memchr(strs + syms[i].st_name, '\0', dynstr->sh_size - syms[i].st_name))
            continue;
        classify_symbol(&syms[i], strs + syms[i].st_name, entry, out);
    }
    return true;
}

/* Entries of .init_array/.fini_array beyond the one the C runtime adds. */
static size_t
extra_entries(const elf_file *f, const char *section)
{
    const ElfW(Shdr) *sh = find_section(f, section);
    size_t n = sh ? sh->sh_size / sizeof(void *) : 0;
    return n > 1 ? n - 1 : 0;
}

static void
check_symbols(const elf_file *f)
{
    _cleanup_free_ char *entry = vp_asprintf("%s_LTX_virtplug_plugin", kit_opts.name);
    for (char *p = entry; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            *p = '_';
    elf_symbols syms = {0};
    if (!read_symbols(f, entry, &syms))
        return;
    if (!kit_check(syms.has_entry && !syms.exports, "exports '%s' and nothing else", entry))
        kit_diag(
            "also exported: %s; build with -fvisibility=hidden and -export-symbols-regex '_LTX_virtplug_plugin$'",
            syms.exports ? syms.exports : "(none)");
    if (syms.sanitizer) {
        kit_skip("built with a sanitizer, which adds its own",
                 "no ELF constructors or destructors");
    } else {
        size_t ctors = extra_entries(f, ".init_array"), dtors = extra_entries(f, ".fini_array");
        if (!kit_check(ctors == 0 && dtors == 0, "no ELF constructors or destructors"))
            kit_diag(
                "%zu constructors, %zu destructors: they run while the file is being loaded, before the descriptor is checked; move the work to the descriptor's init",
                ctors, dtors);
    }
    if (!kit_check(!syms.exit_hooks,
                   "registers no exit handlers, thread-local destructors or dlclose()"))
        kit_diag("uses %s: plugins are never unloaded, and must not run code at exit",
                 syms.exit_hooks);
    free(syms.exports);
    free(syms.exit_hooks);
}

void
kit_group_elf(void)
{
    char *data = NULL;
    size_t size = 0;
    if (vp_plugin_file_read(kit_opts.file, KIT_MAX_PLUGIN_BYTES, &data, &size) < 0) {
        kit_check(false, "the file can be read: %s", kit_error_message());
        return;
    }
    elf_file f = {.data = (const unsigned char *)data, .size = size};
    if (elf_open(&f))
        check_symbols(&f);
    free(data);
}
