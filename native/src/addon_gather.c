/*
 * `gatherRows(features, d, indices, from, rows, out)`: copies the dataset rows
 * indices[from .. from + rows) (d floats each) into out, row after row: a training batch's input.
 * The dataset has its own SharedArrayBuffer, outside any run memory, so this takes typed arrays
 * rather than the flat ABI's byte offsets, and needs no instance: one function per thread's copy
 * of the module. A JavaScript loop did the same element by element, 4% of a lone worker's step at
 * batch 128 (BENCHMARKS.md, "A training batch's rows copied in C"). Every argument and every index
 * is checked before the first float is written; a bad one throws and leaves out as it was.
 */
#include <stdint.h>
#include <string.h>

#include "addon.h"

static napi_value gather_fail(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

/* The typed array argument's data and length, or 0 when it is not one of `want`'s type. */
static int typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *length) {
  bool is_typed = false;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset = 0;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed) return 0;
  if (napi_get_typedarray_info(env, v, &type, length, data, &buffer, &offset) != napi_ok) return 0;
  return type == want;
}

/* A non-negative integer argument below 2^31, or -1. */
static int count(napi_env env, napi_value v) {
  double x = -1;
  if (napi_get_value_double(env, v, &x) != napi_ok || !(x >= 0 && x <= 2147483647.0) || x != (double)(int)x) return -1;
  return (int)x;
}

static napi_value gather_rows(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6)
    return gather_fail(env, "gatherRows(features, d, indices, from, rows, out): too few arguments");
  const float *features = NULL;
  const int32_t *indices = NULL;
  float *out = NULL;
  size_t n_features = 0, n_indices = 0, n_out = 0;
  if (!typed(env, argv[0], napi_float32_array, (void **)&features, &n_features) ||
      !typed(env, argv[2], napi_int32_array, (void **)&indices, &n_indices) ||
      !typed(env, argv[5], napi_float32_array, (void **)&out, &n_out)) {
    napi_throw_type_error(env, NULL, "gatherRows: features and out must be Float32Arrays, indices an Int32Array");
    return NULL;
  }
  const int d = count(env, argv[1]), from = count(env, argv[3]), rows = count(env, argv[4]);
  if (d < 0 || from < 0 || rows < 0) return gather_fail(env, "gatherRows: d, from and rows must be non-negative integers");
  if ((size_t)from + (size_t)rows > n_indices) return gather_fail(env, "gatherRows: from + rows is past the end of indices");
  if ((size_t)rows * (size_t)d > n_out) return gather_fail(env, "gatherRows: out is shorter than rows x d floats");
  const size_t dataset_rows = d > 0 ? n_features / (size_t)d : 0;
  for (int r = 0; r < rows; r++) {
    const int32_t idx = indices[from + r];
    if (idx < 0 || (d > 0 && (size_t)idx >= dataset_rows)) return gather_fail(env, "gatherRows: an index is outside the dataset");
  }
  const size_t row_bytes = (size_t)d * sizeof(float);
  for (int r = 0; r < rows; r++) memcpy(out + (size_t)r * d, features + (size_t)indices[from + r] * d, row_bytes);
  return NULL;
}

void abl_export_gather(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "gatherRows", NAPI_AUTO_LENGTH, gather_rows, NULL, &fn);
  napi_set_named_property(env, exports, "gatherRows", fn);
}
