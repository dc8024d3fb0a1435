/*
 * tl2cgen from C: the artifact is the shared library compiled from tl2cgen's generated C; its
 * predict(union Entry *row, int pred_margin, double *result) adds one row's trees into result. A NaN input is
 * passed as missing (missing = -1), as tl2cgen's own DMatrix does.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dl.h"
#include "engine.h"

union Entry {
  int missing;
  double fvalue;
  int qvalue;
};
typedef void (*predict_fn)(union Entry *data, int pred_margin, double *result);

struct tl2cgen {
  predict_fn predict;
  union Entry *row;
  int ncol, width, raw;
};

void *engine_load(const char *artifact, int ncol, int width, int raw, char *err, size_t errlen) {
  predict_fn predict = (predict_fn)dl_symbol(artifact, "predict", err, errlen);
  if (!predict) return NULL;
  struct tl2cgen *e = calloc(1, sizeof *e);
  *e = (struct tl2cgen){predict, calloc(ncol, sizeof(union Entry)), ncol, width, raw};
  return e;
}

void engine_predict_row(void *engine, const double *x, double *out) {
  struct tl2cgen *e = engine;
  for (int j = 0; j < e->ncol; j++) {
    if (isnan(x[j])) e->row[j].missing = -1;
    else e->row[j].fvalue = x[j];
  }
  memset(out, 0, sizeof(double) * e->width);
  e->predict(e->row, e->raw, out);
}

void engine_predict_batch(void *engine, const double *x, int nrow, double *out) {
  struct tl2cgen *e = engine;
  for (int r = 0; r < nrow; r++) engine_predict_row(e, x + (size_t)r * e->ncol, out + (size_t)r * e->width);
}
