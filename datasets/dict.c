#include "dict.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "vt.h"

struct dict {
    long *slots;       /* id + 1, 0 = empty */
    size_t n_slots;    /* a power of two */
    char **keys;
    size_t *key_lens;
    uint64_t *hashes;
    size_t n_keys, keys_cap;
};

static uint64_t hash_key(const char *key, size_t len)
{
    uint64_t hash = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < len; i++) {
        hash ^= (unsigned char)key[i];
        hash *= UINT64_C(0x100000001b3);
    }
    return hash ^ (hash >> 29);
}

dict *dict_new(void)
{
    dict *map = vt_calloc(1, sizeof *map);
    if (map == NULL)
        return NULL;
    map->n_slots = 16;
    map->slots = vt_calloc(map->n_slots, sizeof(long));
    if (map->slots == NULL) {
        free(map);
        return NULL;
    }
    return map;
}

void dict_free(dict *map)
{
    if (map == NULL)
        return;
    for (size_t i = 0; i < map->n_keys; i++)
        free(map->keys[i]);
    free(map->keys);
    free(map->key_lens);
    free(map->hashes);
    free(map->slots);
    free(map);
}

static size_t probe(const dict *map, const char *key, size_t len, uint64_t hash)
{
    size_t mask = map->n_slots - 1;
    size_t slot = (size_t)hash & mask;
    while (map->slots[slot] != 0) {
        long id = map->slots[slot] - 1;
        if (map->hashes[id] == hash && map->key_lens[id] == len &&
            memcmp(map->keys[id], key, len) == 0)
            return slot;
        slot = (slot + 1) & mask;
    }
    return slot;
}

long dict_find(const dict *map, const char *key, size_t len)
{
    return map->slots[probe(map, key, len, hash_key(key, len))] - 1;
}

static int rehash(dict *map)
{
    size_t n_slots = map->n_slots * 2;
    long *slots = vt_calloc(n_slots, sizeof(long));
    if (slots == NULL)
        return -1;
    for (size_t id = 0; id < map->n_keys; id++) {
        size_t slot = (size_t)map->hashes[id] & (n_slots - 1);
        while (slots[slot] != 0)
            slot = (slot + 1) & (n_slots - 1);
        slots[slot] = (long)id + 1;
    }
    free(map->slots);
    map->slots = slots;
    map->n_slots = n_slots;
    return 0;
}

static int reserve_key(dict *map)
{
    size_t keys_cap = map->keys_cap, lens_cap = map->keys_cap, hashes_cap = map->keys_cap, need = map->n_keys + 1;
    if (vt_grow((void **)&map->keys, &keys_cap, need, sizeof *map->keys) != 0 ||
        vt_grow((void **)&map->key_lens, &lens_cap, need, sizeof *map->key_lens) != 0 ||
        vt_grow((void **)&map->hashes, &hashes_cap, need, sizeof *map->hashes) != 0)
        return -1;
    map->keys_cap = keys_cap;
    return 0;
}

long dict_intern(dict *map, const char *key, size_t len)
{
    uint64_t hash = hash_key(key, len);
    size_t slot = probe(map, key, len, hash);
    if (map->slots[slot] != 0)
        return map->slots[slot] - 1;
    if (reserve_key(map))
        return -1;
    char *copy = vt_strndup(key, len);
    if (copy == NULL)
        return -1;
    long id = (long)map->n_keys++;
    map->keys[id] = copy;
    map->key_lens[id] = len;
    map->hashes[id] = hash;
    map->slots[slot] = id + 1;
    if (map->n_keys * 2 > map->n_slots && rehash(map))
        return -1;
    return id;
}

size_t dict_size(const dict *map) { return map->n_keys; }
const char *dict_key(const dict *map, long id) { return map->keys[id]; }
size_t dict_key_len(const dict *map, long id) { return map->key_lens[id]; }

dict *dict_of_names(const char *const *names, size_t n, size_t *repeat)
{
    size_t unused;
    repeat = repeat ? repeat : &unused;
    *repeat = n;
    dict *map = dict_new();
    for (size_t i = 0; map != NULL && i < n; i++) {
        long id = dict_intern(map, names[i], strlen(names[i]));
        if (id == (long)i)
            continue;
        if (id >= 0)
            *repeat = i;
        dict_free(map);
        map = NULL;
    }
    return map;
}
