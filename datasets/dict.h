/* dict: an open-addressing map from strings to dense ids 0, 1, 2, ...
 *
 * Used to intern categorical levels while reading and to look levels up
 * while scoring.  The dict copies the keys it stores and frees them in
 * dict_free.  Lookups are thread-safe once no thread inserts. */
#ifndef DICT_H
#define DICT_H

#include <stddef.h>

typedef struct dict dict;

dict *dict_new(void);  /* NULL when out of memory */
void dict_free(dict *map);

/* Id of key, inserting it with the next id if absent; -1 if out of memory. */
long dict_intern(dict *map, const char *key, size_t len);
/* Id of key, or -1 if absent. */
long dict_find(const dict *map, const char *key, size_t len);
size_t dict_size(const dict *map);
/* A dict of names[0..n) in which the id of names[i] is i: finding a name in
 * a header of n columns in O(1), where a scan made the lookups quadratic
 * (40,000 columns took seconds, issue 9).  NULL if a name repeats (*repeat
 * is then its index) or if out of memory (*repeat is n).  repeat may be
 * NULL.  The caller frees the dict. */
dict *dict_of_names(const char *const *names, size_t n, size_t *repeat /* OUT */);
const char *dict_key(const dict *map, long id); /* owned by the dict */
size_t dict_key_len(const dict *map, long id);

#endif
