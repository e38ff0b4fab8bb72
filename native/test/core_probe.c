/*
 * Do a VM's two vCPUs behave as two cores for training? Measures, with one thread and then with
 * two at once: AVX-512 FMA throughput (register-only, so it shows shared FMA units: SMT siblings
 * would give about 1x together), read bandwidth of a 2.6 MB buffer (the reference MLP's hidden
 * weights, which miss a 2 MB L2) and of a 256 KB one, and the read bandwidth of 2.6 MB last
 * written by the other core (what the forward pass reads after the other thread's update).
 * Rates per thread from its own CPU time where it says "CPU", so other processes cost little.
 * Not part of the build or the tests; used for BENCHMARKS.md ("Where the second worker's time
 * goes"). x86-64 with AVX-512 only:
 *   cc -O3 -mavx512f -pthread native/test/core_probe.c -o /tmp/core_probe && /tmp/core_probe
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double clock_of(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
static double cpu(void) { return clock_of(CLOCK_THREAD_CPUTIME_ID); }
static double wall(void) { return clock_of(CLOCK_MONOTONIC); }

static volatile float sink;
static pthread_barrier_t bar;
static int threads;

#define FMA_ITERS 20000000L
static double fma_rate(void) {
  __m512 a0 = _mm512_set1_ps(1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
  const __m512 m = _mm512_set1_ps(0.9999f), b = _mm512_set1_ps(1e-4f);
  const double t0 = cpu();
  for (long i = 0; i < FMA_ITERS; i++) {
    a0 = _mm512_fmadd_ps(a0, m, b), a1 = _mm512_fmadd_ps(a1, m, b), a2 = _mm512_fmadd_ps(a2, m, b);
    a3 = _mm512_fmadd_ps(a3, m, b), a4 = _mm512_fmadd_ps(a4, m, b), a5 = _mm512_fmadd_ps(a5, m, b);
    a6 = _mm512_fmadd_ps(a6, m, b), a7 = _mm512_fmadd_ps(a7, m, b), a8 = _mm512_fmadd_ps(a8, m, b);
    a9 = _mm512_fmadd_ps(a9, m, b);
  }
  const double t = cpu() - t0;
  __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)), _mm512_add_ps(a4, a5));
  s = _mm512_add_ps(_mm512_add_ps(s, _mm512_add_ps(a6, a7)), _mm512_add_ps(a8, a9));
  sink = _mm512_reduce_add_ps(s);
  return FMA_ITERS * 10.0 * 32 / t / 1e9; /* GFLOP/s */
}

static float read_all(const float *p, long n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = s0;
  for (long i = 0; i + 32 <= n; i += 32) {
    s0 = _mm512_add_ps(s0, _mm512_loadu_ps(p + i));
    s1 = _mm512_add_ps(s1, _mm512_loadu_ps(p + i + 16));
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

static double read_rate(long bytes) {
  const long n = bytes / 4;
  float *p = aligned_alloc(64, n * 4);
  for (long i = 0; i < n; i++) p[i] = (float)i;
  const int reps = (int)(4e9 / bytes);
  const double t0 = cpu();
  for (int r = 0; r < reps; r++) sink = read_all(p, n);
  const double t = cpu() - t0;
  free(p);
  return (double)bytes * reps / t / 1e9;
}

#define SHARED_BYTES 2700000L
static float *shared[2];

static void *worker(void *arg) {
  const int t = (int)(long)arg;
  double *out = malloc(5 * sizeof(double));
  pthread_barrier_wait(&bar);
  out[0] = fma_rate();
  pthread_barrier_wait(&bar);
  out[1] = read_rate(SHARED_BYTES);
  pthread_barrier_wait(&bar);
  out[2] = read_rate(256 * 1024);
  out[3] = out[4] = 0;
  if (threads == 2) {
    const long n = SHARED_BYTES / 4;
    double own = 0, other = 0;
    for (int it = 0; it < 100; it++) {
      const __m512 v = _mm512_set1_ps((float)it);
      for (long i = 0; i + 16 <= n; i += 16) _mm512_storeu_ps(shared[t] + i, v);
      pthread_barrier_wait(&bar);
      double t0 = wall();
      sink = read_all(shared[t], n);
      own += wall() - t0;
      pthread_barrier_wait(&bar);
      t0 = wall();
      sink = read_all(shared[1 - t], n);
      other += wall() - t0;
      pthread_barrier_wait(&bar);
    }
    out[3] = SHARED_BYTES * 100.0 / own / 1e9;
    out[4] = SHARED_BYTES * 100.0 / other / 1e9;
  }
  return out;
}

int main(void) {
  shared[0] = aligned_alloc(64, SHARED_BYTES + 64);
  shared[1] = aligned_alloc(64, SHARED_BYTES + 64);
  for (threads = 1; threads <= 2; threads++) {
    pthread_barrier_init(&bar, 0, threads);
    pthread_t th[2];
    for (long i = 0; i < threads; i++) pthread_create(&th[i], 0, worker, (void *)i);
    for (int i = 0; i < threads; i++) {
      double *r;
      pthread_join(th[i], (void **)&r);
      printf("%d thread(s), thread %d: FMA %.0f GFLOP/s CPU; read 2.6 MB %.1f GB/s CPU, 256 KB %.1f GB/s CPU", threads, i, r[0],
             r[1], r[2]);
      if (threads == 2) printf("; 2.6 MB written by itself %.1f GB/s, by the other core %.1f GB/s (wall)", r[3], r[4]);
      printf("\n");
      free(r);
    }
    pthread_barrier_destroy(&bar);
  }
  return 0;
}
