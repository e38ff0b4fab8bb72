/*
 * Argument handling shared by the Node-API binding's files (addon.c, addon_kernels.c): one thread's
 * instance (the run memory's address and length, its scratch region, its float block, the CPU
 * path), and the checked reading of a call's arguments: non-negative integers, floats from the
 * float block (the binding writes them there: a double passed as an argument would be a newly
 * allocated heap number per call), and byte offsets turned into float pointers only when the
 * tensor lies inside the run memory, or into a double pointer for a result. A failed check throws
 * a RangeError in JavaScript (once per call) and the kernel is not run.
 */
#ifndef ABLATE_ADDON_H
#define ABLATE_ADDON_H

#define NAPI_VERSION 8
#include <node_api.h>

#include "kernels.h"

/*
 * The binding's calling convention, checked by src/engine/kernels/native/addon.ts (NATIVE_ABI):
 * 2 since floats travel in the float block, 3 since it exports a clock, 4 since it has
 * linearForwardFeatures, 5 since its clock also writes whole milliseconds (clockReadingMs), 6 since
 * it exports gatherRows (addon_gather.c). A build with another version would read its floats from
 * placeholder arguments, or lack a function, so it is refused, not used.
 */
#define ABL_ABI_VERSION 6

/* Doubles in an instance's float block (FLOAT_BLOCK_SLOTS in src/engine/kernels/contract.ts). */
#define ABL_FLOAT_SLOTS 16

typedef struct {
  char *base;
  size_t bytes;
  abl_scratch scratch;
  const abl_gemm_isa *isa;
  napi_ref view;
  /* The float block: ABL_FLOAT_SLOTS doubles of a Float64Array held by `floats_view`. */
  const double *floats;
  napi_ref floats_view;
} instance;

#define MAX_ARGS 16

typedef struct {
  napi_env env;
  instance *inst;
  napi_value argv[MAX_ARGS];
  size_t argc;
  int failed;
} call;

static inline int fail(call *c, const char *msg) {
  if (!c->failed) napi_throw_range_error(c->env, NULL, msg);
  c->failed = 1;
  return 0;
}

static inline int begin(call *c, napi_env env, napi_callback_info info, size_t want) {
  c->env = env;
  c->failed = 0;
  c->argc = MAX_ARGS;
  void *data = NULL;
  if (napi_get_cb_info(env, info, &c->argc, c->argv, NULL, &data) != napi_ok) return fail(c, "native kernels: bad call");
  c->inst = (instance *)data;
  if (c->argc < want) return fail(c, "native kernels: too few arguments");
  return 1;
}

static inline double num(call *c, size_t i) {
  double v = 0;
  if (!c->failed && napi_get_value_double(c->env, c->argv[i], &v) != napi_ok) fail(c, "native kernels: expected a number");
  return v;
}

static inline int int_arg(call *c, size_t i) {
  const double v = num(c, i);
  if (!(v >= 0 && v <= 2147483647.0) || v != (double)(int)v) fail(c, "native kernels: expected a non-negative integer");
  return (int)v;
}

/* Float argument `slot` of the call, in argument order, from the float block. */
static inline double float_arg(call *c, size_t slot) {
  return c->failed ? 0 : c->inst->floats[slot];
}

/* The float pointer at byte offset argument i, holding `count` floats inside the memory. */
static inline float *ptr(call *c, size_t i, double count) {
  const double off = num(c, i);
  if (c->failed) return NULL;
  if (!(off >= 0) || off != (double)(size_t)off || (size_t)off % 4 != 0 || !(count >= 0) ||
      off + count * 4 > (double)c->inst->bytes) {
    fail(c, "native kernels: a tensor lies outside the run memory");
    return NULL;
  }
  return (float *)(c->inst->base + (size_t)off);
}

/* The double at byte offset argument i, inside the memory: where a kernel writes its result. */
static inline double *result_ptr(call *c, size_t i) {
  const double off = num(c, i);
  if (c->failed) return NULL;
  if (!(off >= 0) || off != (double)(size_t)off || (size_t)off % 8 != 0 || off + 8 > (double)c->inst->bytes) {
    fail(c, "native kernels: a result lies outside the run memory");
    return NULL;
  }
  return (double *)(c->inst->base + (size_t)off);
}

static inline napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

/* The kernel functions of an instance, by their flat-ABI names (addon_kernels.c). */
typedef struct {
  const char *name;
  napi_callback fn;
} abl_method;
extern const abl_method abl_methods[];
extern const size_t abl_method_count;

/* `gatherRows` on exports (addon_gather.c). */
void abl_export_gather(napi_env env, napi_value exports);

#endif
