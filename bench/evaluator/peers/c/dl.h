/* dlopen + dlsym with the reason in err on failure (for the engines whose artifact is a generated .so). */
#ifndef PEER_DL_H
#define PEER_DL_H
#include <dlfcn.h>
#include <stdio.h>

static void *dl_symbol(const char *library, const char *symbol, char *err, size_t errlen) {
  void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  void *fn = handle ? dlsym(handle, symbol) : NULL;
  if (!fn) snprintf(err, errlen, "%s", dlerror());
  return fn;
}
#endif
