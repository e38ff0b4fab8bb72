/*
 * What it costs the two vCPUs to hand each other memory, now: a team that splits a step by rows
 * reads, on each core, weights the other core wrote in the last update (BENCHMARKS.md, "A team
 * split by features"), so its speed follows this cost. Two threads, pinned to CPUs 0 and 1:
 *   ping-pong  one cache line bounced between the cores; nanoseconds per round trip;
 *   handover   thread A writes a 2.6 MB buffer (the reference MLP's weights), then thread B reads
 *              it all, then B writes it and A reads it, and so on; nanoseconds per 64-byte line
 *              read, against the same reads of lines the reader wrote itself (own);
 *   shared     A writes the buffer after B has read it (both cores hold every line, as the
 *              weights before a split-by-rows update): nanoseconds per line written, against
 *              writing lines A alone holds (own).
 * Prints one line per round; run it next to a team benchmark to see whether the host's moods
 * match. Not part of the build or the tests. From the repository root:
 *   gcc -O2 -pthread native/test/core_to_core_probe.c -o /tmp/c2c && /tmp/c2c [rounds=5]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define LINES (2600 * 1024 / 64)
#define BOUNCES 200000
#define HANDOVERS 40

static _Alignas(64) atomic_int ball;
static _Alignas(64) atomic_int turn;
static int64_t *buffer; /* LINES lines of 8 int64 */
static volatile int64_t sink;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void write_all(int64_t v) {
  for (int i = 0; i < LINES; i++) buffer[i * 8] = v + i;
}

static int64_t read_all(void) {
  int64_t s = 0;
  for (int i = 0; i < LINES; i++) s += buffer[i * 8];
  return s;
}

/* Thread 1: answers the ping-pong, then takes its turns of the handover. */
static void *partner(void *arg) {
  /* Turns of the handover: 4h+1 B reads and writes, 4h+3 B reads only. */
  (void)arg;
  pin(1);
  for (int i = 0; i < BOUNCES; i++) {
    while (atomic_load_explicit(&ball, memory_order_acquire) != 2 * i + 1) {
    }
    atomic_store_explicit(&ball, 2 * i + 2, memory_order_release);
  }
  for (int h = 0; h < HANDOVERS; h++) {
    while (atomic_load_explicit(&turn, memory_order_acquire) != 4 * h + 1) {
    }
    sink = read_all();
    write_all(h);
    atomic_store_explicit(&turn, 4 * h + 2, memory_order_release);
    /* Then reads A's lines, so that both cores hold them when A writes them again. */
    while (atomic_load_explicit(&turn, memory_order_acquire) != 4 * h + 3) {
    }
    sink = read_all();
    atomic_store_explicit(&turn, 4 * h + 4, memory_order_release);
  }
  return NULL;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 5;
  buffer = aligned_alloc(64, (size_t)LINES * 64);
  pin(0);
  for (int r = 0; r < rounds; r++) {
    atomic_store(&ball, 0);
    atomic_store(&turn, 0);
    write_all(0);
    pthread_t t;
    pthread_create(&t, NULL, partner, NULL);
    double t0 = now();
    for (int i = 0; i < BOUNCES; i++) {
      atomic_store_explicit(&ball, 2 * i + 1, memory_order_release);
      while (atomic_load_explicit(&ball, memory_order_acquire) != 2 * i + 2) {
      }
    }
    double pingpong = (now() - t0) / BOUNCES * 1e9;
    /* Handover: A reads what B wrote (timed), then writes it for B. */
    double remote = 0, local = 0, shared = 0, own = 0;
    for (int h = 0; h < HANDOVERS; h++) {
      write_all(h);
      double l0 = now();
      sink = read_all(); /* lines this core just wrote */
      local += now() - l0;
      atomic_store_explicit(&turn, 4 * h + 1, memory_order_release);
      while (atomic_load_explicit(&turn, memory_order_acquire) != 4 * h + 2) {
      }
      double r0 = now();
      sink = read_all(); /* lines the other core just wrote */
      remote += now() - r0;
      atomic_store_explicit(&turn, 4 * h + 3, memory_order_release);
      while (atomic_load_explicit(&turn, memory_order_acquire) != 4 * h + 4) {
      }
      double s0 = now();
      write_all(h + 1); /* lines both cores hold */
      shared += now() - s0;
      double o0 = now();
      write_all(h + 2); /* lines this core alone holds now */
      own += now() - o0;
    }
    pthread_join(t, NULL);
    const double per = 1e9 / HANDOVERS / LINES;
    printf("round %d: ping-pong %.0f ns per round trip; per 64-byte line of 2.6 MB: read %.1f ns from the other core (%.1f own), "
           "write %.1f ns where both hold it (%.1f own)\n",
           r + 1, pingpong, remote * per, local * per, shared * per, own * per);
  }
  free(buffer);
  return 0;
}
