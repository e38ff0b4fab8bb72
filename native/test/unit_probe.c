/*
 * Do the native kernels themselves run slower when both vCPUs run them? Runs the reference MLP's
 * step units (784-512-512-10, batch 128 in 8 chunks of 16 rows: each chunk's forward and input
 * gradients, then the weight gradients split by output rows, then a plain SGD pass) through the
 * real gemm table (cpu.c's choice; ABLATE_NATIVE_ISA may force one), with one thread doing the
 * whole step and with two threads each doing half of it on the same weights, as the pool splits
 * it. Alone and together alternate in ABBA order; per pair, the two threads' CPU time per step
 * over the lone thread's (1.00: the units cost the same on two threads). CPU time per thread,
 * so time lost to other processes does not count; no barrier spins (pthread barriers sleep).
 * Not part of the build or the tests; used for BENCHMARKS.md. x86-64 or any cc:
 *   cc -std=c11 -O2 -ffp-contract=off -pthread native/test/unit_probe.c native/src/cpu.c \
 *     native/src/gemm_portable.c native/src/gemm_avx2.c native/src/gemm_avx512.c \
 *     native/src/gemm_neon.c -lm -o /tmp/unit_probe && /tmp/unit_probe [pairs] [steps] [noupdate] [private]
 * noupdate leaves the weights unwritten (no cache lines move between the cores after the update);
 * private gives each thread its own copy of the weights (with the update, only its own half of
 * each written, so the other half never changes).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/kernels.h"

static double clock_of(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

enum { B = 128, CH = 16, D0 = 784, D1 = 512, D2 = 512, D3 = 10, SCRATCH = 8 << 20 };
static const int dims[4] = {D0, D1, D2, D3};
static const abl_gemm_isa *isa;
static float *wt[2][3], *b[3], *gw[3], *x, *act[3], *dact[3];
static int update = 1, private_weights = 0;
static int steps;
static pthread_barrier_t bar;

static float *alloc(size_t n, int fill) {
  float *p = aligned_alloc(64, ((n * 4 + 63) / 64) * 64);
  for (size_t i = 0; i < n; i++) p[i] = fill ? (float)((i * 2654435761u) % 2000) / 1000.0f - 1.0f : 0.0f;
  return p;
}

typedef struct {
  int id, team;
  abl_scratch s;
  double cpu;
} member;

/* One step's share of member m: chunks m, m+team, ...; output rows and parameters split in team parts. */
static void step(member *m) {
  float **w = wt[private_weights ? m->id : 0];
  for (int c = m->id; c < B / CH; c += m->team) {
    const float *in = x + (size_t)c * CH * D0;
    for (int l = 0; l < 3; l++) {
      isa->linear_forward(in, w[l], b[l], act[l] + (size_t)c * CH * dims[l + 1], CH, dims[l], dims[l + 1], dims[l + 1], m->s);
      in = act[l] + (size_t)c * CH * dims[l + 1];
    }
    /* output gradient stands in as the output itself; input gradients down to the first layer */
    for (int l = 2; l >= 1; l--) {
      const float *dy = l == 2 ? act[2] + (size_t)c * CH * D3 : dact[l] + (size_t)c * CH * dims[l + 1];
      isa->linear_backward_input(dy, w[l], dact[l - 1] + (size_t)c * CH * dims[l], CH, dims[l], dims[l + 1], 0, m->s);
    }
  }
  pthread_barrier_wait(&bar);
  for (int l = 0; l < 3; l++) {
    const int out = dims[l + 1], o0 = out * m->id / m->team, o1 = out * (m->id + 1) / m->team;
    const float *dy = l == 2 ? act[2] : dact[l]; /* gradient at layer l's output */
    isa->linear_backward_weight(dy, l == 0 ? x : act[l - 1], gw[l], B, dims[l], out, o0, o1, m->s);
  }
  pthread_barrier_wait(&bar);
  for (int l = 0; l < 3 && update; l++) {
    const size_t n = (size_t)dims[l] * dims[l + 1], p0 = n * m->id / m->team, p1 = n * (m->id + 1) / m->team;
    for (size_t i = p0; i < p1; i++) w[l][i] -= 1e-9f * gw[l][i];
  }
  pthread_barrier_wait(&bar);
}

static void *run(void *arg) {
  member *m = arg;
  pthread_barrier_wait(&bar);
  const double c0 = clock_of(CLOCK_THREAD_CPUTIME_ID);
  for (int i = 0; i < steps; i++) step(m);
  m->cpu = clock_of(CLOCK_THREAD_CPUTIME_ID) - c0;
  return NULL;
}

/* CPU seconds per step summed over the team's threads. */
static double measure(int team, member *ms) {
  pthread_t t[2];
  pthread_barrier_init(&bar, NULL, team);
  for (int i = 0; i < team; i++) {
    ms[i].id = i, ms[i].team = team;
    pthread_create(&t[i], NULL, run, &ms[i]);
  }
  double sum = 0;
  for (int i = 0; i < team; i++) pthread_join(t[i], NULL), sum += ms[i].cpu;
  pthread_barrier_destroy(&bar);
  return sum / steps;
}

static int cmp(const void *a, const void *b) { return (*(double *)a > *(double *)b) - (*(double *)a < *(double *)b); }

int main(int argc, char **argv) {
  const int pairs = argc > 1 ? atoi(argv[1]) : 9;
  steps = argc > 2 ? atoi(argv[2]) : 300;
  const char *err = NULL;
  isa = abl_gemm_select(&err);
  if (!isa) return fprintf(stderr, "%s\n", err), 1;
  x = alloc((size_t)B * D0, 1);
  for (int l = 0; l < 3; l++) {
    wt[0][l] = alloc((size_t)dims[l] * dims[l + 1], 1), wt[1][l] = alloc((size_t)dims[l] * dims[l + 1], 1), b[l] = alloc(dims[l + 1], 1), gw[l] = alloc((size_t)dims[l] * dims[l + 1], 0);
    act[l] = alloc((size_t)B * dims[l + 1], 0), dact[l] = alloc((size_t)B * dims[l + 1], 0);
  }
  for (int k = 0; k < 2; k++)
    for (int l = 0; l < 3; l++)
      for (size_t i = 0; i < (size_t)dims[l] * dims[l + 1]; i++) wt[k][l][i] *= 0.05f;
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "noupdate")) update = 0;
    else if (!strcmp(argv[i], "private")) private_weights = 1;
    else return fprintf(stderr, "unknown option %s (expected noupdate, private)\n", argv[i]), 1;
  }
  member ms[2];
  for (int i = 0; i < 2; i++) ms[i].s.ptr = alloc(SCRATCH / 4, 0), ms[i].s.bytes = SCRATCH;
  measure(1, ms), measure(2, ms); /* warm-up */
  double ratio[64], alone[64], both[64];
  for (int p = 0; p < pairs && p < 64; p++) {
    if (p % 2 == 0) alone[p] = measure(1, ms), both[p] = measure(2, ms);
    else both[p] = measure(2, ms), alone[p] = measure(1, ms);
    ratio[p] = both[p] / alone[p];
    printf("pair %d: alone %.0f us/step, together %.0f us/step of CPU (both threads), ratio %.3f\n", p, alone[p] * 1e6, both[p] * 1e6,
           ratio[p]);
  }
  qsort(ratio, pairs, sizeof(double), cmp);
  printf("%s: CPU per step on two threads over one, median of %d pairs %.3f (min %.3f, max %.3f)\n", isa->name, pairs,
         ratio[pairs / 2], ratio[0], ratio[pairs - 1]);
  return 0;
}
