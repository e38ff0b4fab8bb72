/*
 * A monotonic clock in milliseconds for the binding's `clock()` (addon.c). Its own file because
 * the strict C11 the addon is compiled as hides POSIX's clock_gettime on glibc unless asked for.
 */
#if !defined(_WIN32) && !defined(__APPLE__)
#define _POSIX_C_SOURCE 199309L
#endif

#include "clock.h"

#ifdef _WIN32
#include <windows.h>

double abl_monotonic_ms(void) {
  static LARGE_INTEGER frequency; /* fixed at boot; a racy first read writes the same value */
  LARGE_INTEGER now;
  if (frequency.QuadPart == 0) QueryPerformanceFrequency(&frequency);
  QueryPerformanceCounter(&now);
  return (double)now.QuadPart * 1000.0 / (double)frequency.QuadPart;
}
#else
#include <time.h>

double abl_monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}
#endif
