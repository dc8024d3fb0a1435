/*
 * lleaves from C: the artifact is a shared library linked from the object file lleaves' compile(cache=...) writes;
 * its entry point forest_root(double *data, double *out, int start, int end) predicts rows start..end-1.
 */
#include <stdlib.h>
#include "dl.h"
#include "engine.h"

typedef void (*forest_root_fn)(const double *data, double *out, int start, int end);

void *engine_load(const char *artifact, int ncol, int width, int raw, char *err, size_t errlen) {
  (void)ncol, (void)width, (void)raw; /* raw scores are compiled in (compile(raw_score=True)) */
  return dl_symbol(artifact, "forest_root", err, errlen);
}

void engine_predict_row(void *engine, const double *x, double *out) { ((forest_root_fn)engine)(x, out, 0, 1); }

void engine_predict_batch(void *engine, const double *x, int nrow, double *out) {
  ((forest_root_fn)engine)(x, out, 0, nrow);
}
