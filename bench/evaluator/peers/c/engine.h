/* One engine behind the C harness (harness.c): load an artifact, predict one row, predict a batch (row-major). */
#ifndef PEER_ENGINE_H
#define PEER_ENGINE_H
#include <stddef.h>

/* Loads the artifact; on failure returns NULL and writes the reason into err. raw: raw scores, not values. */
void *engine_load(const char *artifact, int ncol, int width, int raw, char *err, size_t errlen);
/* One row of ncol doubles → width doubles. */
void engine_predict_row(void *engine, const double *x, double *out);
/* nrow rows → nrow * width doubles. */
void engine_predict_batch(void *engine, const double *x, int nrow, double *out);

#endif
