/*
 * The C side of the evaluator benchmark's peer protocol (the same as peers/child.ts and peers/child.py):
 *   exact ARTIFACT ROWS.bin NCOL WIDTH RAW OUT.bin
 *       predicts every row of ROWS.bin (float64, row-major) with the batch call; writes nrow*width float64.
 *   speed ARTIFACT ROWS.bin NCOL WIDTH SINGLE_CALLS BATCH_ROWS BATCH_REPEATS RAMP_CALLS
 *       load, first call, RAMP_CALLS single-row calls timed one by one, SINGLE_CALLS more, then BATCH_REPEATS
 *       batches of BATCH_ROWS rows (after one untimed); prints one JSON line of nanoseconds, then waits for
 *       stdin to close so the runner can read this process's RSS from /proc.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "engine.h"

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static double *read_rows(const char *path, int ncol, int *nrow) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  fseek(f, 0, SEEK_END);
  long bytes = ftell(f);
  fseek(f, 0, SEEK_SET);
  double *rows = malloc(bytes);
  if (fread(rows, 1, bytes, f) != (size_t)bytes) { perror(path); exit(2); }
  fclose(f);
  *nrow = (int)(bytes / (sizeof(double) * ncol));
  return rows;
}

static void print_array(const char *name, const int64_t *v, int n, int last) {
  printf("\"%s\":[", name);
  for (int i = 0; i < n; i++) printf(i ? ",%lld" : "%lld", (long long)v[i]);
  printf(last ? "]" : "],");
}

static void *load_or_die(const char *artifact, int ncol, int width, int raw) {
  char err[512] = "";
  void *engine = engine_load(artifact, ncol, width, raw, err, sizeof err);
  if (!engine) { fprintf(stderr, "load failed: %s\n", err); exit(3); }
  return engine;
}

static int exact(char **argv) {
  int ncol = atoi(argv[3]), width = atoi(argv[4]), raw = atoi(argv[5]), nrow;
  double *rows = read_rows(argv[2], ncol, &nrow);
  void *engine = load_or_die(argv[1], ncol, width, raw);
  double *out = calloc((size_t)nrow * width, sizeof(double));
  engine_predict_batch(engine, rows, nrow, out);
  FILE *f = fopen(argv[6], "wb");
  fwrite(out, sizeof(double), (size_t)nrow * width, f);
  fclose(f);
  return 0;
}

static int speed(char **argv) {
  int ncol = atoi(argv[3]), width = atoi(argv[4]), nrow;
  int single = atoi(argv[5]), batch_rows = atoi(argv[6]), repeats = atoi(argv[7]), ramp = atoi(argv[8]);
  double *rows = read_rows(argv[2], ncol, &nrow);
  if (batch_rows > nrow) batch_rows = nrow;
  double *out = calloc((size_t)batch_rows * width, sizeof(double));
  int64_t t0 = now_ns();
  void *engine = load_or_die(argv[1], ncol, width, 0);
  int64_t load_ns = now_ns() - t0;
  t0 = now_ns();
  engine_predict_row(engine, rows, out);
  int64_t first_ns = now_ns() - t0;
  int64_t *ramp_ns = malloc(sizeof(int64_t) * (ramp + 1));
  int64_t *single_ns = malloc(sizeof(int64_t) * (single + 1));
  int64_t *batch_ns = malloc(sizeof(int64_t) * (repeats + 1));
  for (int i = 0; i < ramp; i++) {
    t0 = now_ns();
    engine_predict_row(engine, rows + (size_t)(i % nrow) * ncol, out);
    ramp_ns[i] = now_ns() - t0;
  }
  for (int i = 0; i < single; i++) {
    t0 = now_ns();
    engine_predict_row(engine, rows + (size_t)(i % nrow) * ncol, out);
    single_ns[i] = now_ns() - t0;
  }
  engine_predict_batch(engine, rows, batch_rows, out);
  for (int k = 0; k < repeats; k++) {
    t0 = now_ns();
    engine_predict_batch(engine, rows, batch_rows, out);
    batch_ns[k] = now_ns() - t0;
  }
  printf("{\"loadNs\":%lld,\"firstCallNs\":%lld,", (long long)load_ns, (long long)first_ns);
  print_array("rampNs", ramp_ns, ramp, 0);
  print_array("singleNs", single_ns, single, 0);
  print_array("batchNs", batch_ns, repeats, 1);
  printf(",\"check\":%.17g}\n", out[0]);
  fflush(stdout);
  while (getchar() != EOF) {
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 8 && strcmp(argv[1], "exact") == 0) return exact(argv + 1);
  if (argc == 10 && strcmp(argv[1], "speed") == 0) return speed(argv + 1);
  fprintf(stderr, "usage: exact ARTIFACT ROWS NCOL WIDTH RAW OUT | speed ARTIFACT ROWS NCOL WIDTH SINGLE BATCH REPEATS RAMP\n");
  return 2;
}
