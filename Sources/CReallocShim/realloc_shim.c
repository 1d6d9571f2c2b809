// Why this file exists: libyaml grows every scalar longer than 16 bytes by doubling it with
// realloc (16 -> 32 -> 64 ...). jemalloc, the static binary's allocator, takes a general path
// for a realloc that changes size class (≈ 480 instructions per call on the bench stream, 3 %
// of shmfix's instructions); malloc, memcpy and free through its thread cache cost a third of
// that. Only the static binary is linked with `--wrap=realloc` (Makefile, dist-binary); in any
// other build `__wrap_realloc` is never called by realloc and `__real_realloc` is not defined.

#include "realloc_shim.h"

#include <stdlib.h>
#include <string.h>

// The allocator's realloc, defined by the linker only with `--wrap=realloc`.
extern void *__real_realloc(void *pointer, size_t size) __attribute__((weak));

void *shmfix_realloc_small(void *pointer, size_t size, shmfix_realloc_function fallback) {
    if (pointer == NULL || size == 0 || size > SHMFIX_REALLOC_SMALL_BLOCK) return fallback(pointer, size);
    size_t usable = malloc_usable_size(pointer);
    if (usable > SHMFIX_REALLOC_SMALL_BLOCK) return fallback(pointer, size);
    if (size <= usable) return pointer;
    void *moved = malloc(size);
    if (moved == NULL) return NULL;
    memcpy(moved, pointer, usable);
    free(pointer);
    return moved;
}

void *__wrap_realloc(void *pointer, size_t size) {
    // Not linked with `--wrap`: realloc is the allocator's own.
    if (__real_realloc == NULL) return realloc(pointer, size);
    return shmfix_realloc_small(pointer, size, __real_realloc);
}
