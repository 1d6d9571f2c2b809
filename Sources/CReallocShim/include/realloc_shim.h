#ifndef SHMFIX_REALLOC_SHIM_H
#define SHMFIX_REALLOC_SHIM_H

#include <malloc.h>  // malloc_usable_size, which the shim (and its test) reads
#include <stddef.h>

/// The largest block, in bytes, that `shmfix_realloc_small` grows itself.
#define SHMFIX_REALLOC_SMALL_BLOCK 4096

/// A realloc function: the allocator's own, to which anything but a small block is left.
typedef void *(*shmfix_realloc_function)(void *pointer, size_t size);

/// realloc for small blocks, as malloc, memcpy and free: a block of at most
/// `SHMFIX_REALLOC_SMALL_BLOCK` usable bytes that must grow to at most that many is moved to a
/// new block (the old one is freed only when the new one was allocated); one that need not grow
/// is returned as it is. Anything else (a null pointer, a size of 0, a larger block or size)
/// goes to `fallback`. Same contract as C's realloc.
void *shmfix_realloc_small(void *pointer, size_t size, shmfix_realloc_function fallback);

/// The static binary's realloc: it is linked with `--wrap=realloc`, so every call to realloc
/// (libyaml's growing strings among them) comes here, and `__real_realloc` is the allocator's.
void *__wrap_realloc(void *pointer, size_t size);

#endif
