/*
 * LightGBM's C API from lib_lightgbm.so (the lightgbm wheel's), called directly: the single-row fast path
 * (LGBM_BoosterPredictForMatSingleRowFastInit / ...Fast) per row, LGBM_BoosterPredictForMat per batch,
 * num_threads=1. The prototypes are LightGBM's public c_api.h ones (the wheel ships the library, not the header).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "engine.h"

typedef void *BoosterHandle;
typedef void *FastConfigHandle;
int LGBM_BoosterCreateFromModelfile(const char *filename, int *out_num_iterations, BoosterHandle *out);
int LGBM_BoosterPredictForMat(BoosterHandle handle, const void *data, int data_type, int32_t nrow, int32_t ncol,
                              int is_row_major, int predict_type, int start_iteration, int num_iteration,
                              const char *parameter, int64_t *out_len, double *out_result);
int LGBM_BoosterPredictForMatSingleRowFastInit(BoosterHandle handle, const int predict_type,
                                               const int start_iteration, const int num_iteration,
                                               const int data_type, const int32_t ncol, const char *parameter,
                                               FastConfigHandle *out_fastConfig);
int LGBM_BoosterPredictForMatSingleRowFast(FastConfigHandle fastConfig_handle, const void *data, int64_t *out_len,
                                           double *out_result);
const char *LGBM_GetLastError(void);

enum { DTYPE_FLOAT64 = 1, PREDICT_NORMAL = 0, PREDICT_RAW_SCORE = 1 };
static const char *PARAMS = "num_threads=1";

struct capi {
  BoosterHandle booster;
  FastConfigHandle fast;
  int ncol, predict_type;
};

static void check(int status) {
  if (status != 0) { fprintf(stderr, "LightGBM: %s\n", LGBM_GetLastError()); exit(4); }
}

void *engine_load(const char *artifact, int ncol, int width, int raw, char *err, size_t errlen) {
  (void)width;
  struct capi *e = calloc(1, sizeof *e);
  int iterations;
  e->ncol = ncol;
  e->predict_type = raw ? PREDICT_RAW_SCORE : PREDICT_NORMAL;
  if (LGBM_BoosterCreateFromModelfile(artifact, &iterations, &e->booster) != 0 ||
      LGBM_BoosterPredictForMatSingleRowFastInit(e->booster, e->predict_type, 0, -1, DTYPE_FLOAT64, ncol, PARAMS,
                                                 &e->fast) != 0) {
    snprintf(err, errlen, "%s", LGBM_GetLastError());
    return NULL;
  }
  return e;
}

void engine_predict_row(void *engine, const double *x, double *out) {
  struct capi *e = engine;
  int64_t len;
  check(LGBM_BoosterPredictForMatSingleRowFast(e->fast, x, &len, out));
}

void engine_predict_batch(void *engine, const double *x, int nrow, double *out) {
  struct capi *e = engine;
  int64_t len;
  check(LGBM_BoosterPredictForMat(e->booster, x, DTYPE_FLOAT64, nrow, e->ncol, 1, e->predict_type, 0, -1, PARAMS,
                                  &len, out));
}
