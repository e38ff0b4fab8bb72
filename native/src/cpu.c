/*
 * Runtime CPU dispatch for the linear products: the best instruction set this CPU and OS
 * support (AVX-512F, then AVX2+FMA, on x86-64; NEON on AArch64; portable C otherwise), chosen once
 * per process. ABLATE_NATIVE_ISA=avx512|avx2|neon|portable forces a path (to measure or test it);
 * a forced path this CPU lacks is an error, never a silent substitute.
 */
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

#if defined(ABL_X86)
#if defined(_MSC_VER)
#include <intrin.h>
static void cpuid(int leaf, int sub, unsigned r[4]) {
  int v[4];
  __cpuidex(v, leaf, sub);
  for (int i = 0; i < 4; i++) r[i] = (unsigned)v[i];
}
static unsigned long long xgetbv0(void) { return _xgetbv(0); }
#else
#include <cpuid.h>
static void cpuid(int leaf, int sub, unsigned r[4]) { __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]); }
static unsigned long long xgetbv0(void) {
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((unsigned long long)hi << 32) | lo;
}
#endif

/* AVX2 and FMA in the CPU, and the OS saving ymm state. */
static int has_avx2(void) {
  unsigned r[4];
  cpuid(0, 0, r);
  if (r[0] < 7) return 0;
  cpuid(1, 0, r);
  const int fma = (r[2] >> 12) & 1, osxsave = (r[2] >> 27) & 1, avx = (r[2] >> 28) & 1;
  if (!fma || !osxsave || !avx) return 0;
  if ((xgetbv0() & 0x6) != 0x6) return 0;
  cpuid(7, 0, r);
  return (r[1] >> 5) & 1;
}

/* AVX-512F in the CPU, and the OS saving opmask and zmm state. */
static int has_avx512(void) {
  if (!has_avx2()) return 0;
  unsigned r[4];
  cpuid(7, 0, r);
  if (!((r[1] >> 16) & 1)) return 0;
  return (xgetbv0() & 0xe6) == 0xe6;
}
#endif

static const abl_gemm_isa *supported[5];
static int n_supported = -1;
static char supported_names[64];

static void detect(void) {
  int n = 0;
#if defined(ABL_X86)
  if (has_avx512()) supported[n++] = &abl_gemm_avx512;
  if (has_avx2()) supported[n++] = &abl_gemm_avx2;
#endif
#if defined(ABL_ARM64)
  supported[n++] = &abl_gemm_neon;
#endif
  supported[n++] = &abl_gemm_portable;
  char names[sizeof supported_names] = "";
  for (int i = 0; i < n; i++) {
    if (i) strcat(names, ",");
    strcat(names, supported[i]->name);
  }
  memcpy(supported_names, names, sizeof names);
  n_supported = n;
}

/*
 * Called from each thread's module init. Detection is idempotent and writes the same values from
 * any thread, so a race between the first two callers is harmless; the choice cannot change.
 */
const abl_gemm_isa *abl_gemm_select(const char **error) {
  if (n_supported < 0) detect();
  const char *forced = getenv("ABLATE_NATIVE_ISA");
  *error = NULL;
  if (forced == NULL || forced[0] == 0) return supported[0];
  for (int i = 0; i < n_supported; i++)
    if (strcmp(forced, supported[i]->name) == 0) return supported[i];
  *error = "ABLATE_NATIVE_ISA names a path this CPU does not support (see supportedPaths)";
  return NULL;
}

const char *abl_gemm_supported(void) {
  if (n_supported < 0) detect();
  return supported_names;
}
