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

/* Read like the kernels' arguments (addon.h: begin, int_arg, fail), with no instance behind it. */
static napi_value gather_rows(napi_env env, napi_callback_info info) {
  call c;
  if (!begin(&c, env, info, 6)) return NULL;
  const float *features = NULL;
  const int32_t *indices = NULL;
  float *out = NULL;
  size_t n_features = 0, n_indices = 0, n_out = 0;
  if (!typed(env, c.argv[0], napi_float32_array, (void **)&features, &n_features) ||
      !typed(env, c.argv[2], napi_int32_array, (void **)&indices, &n_indices) ||
      !typed(env, c.argv[5], napi_float32_array, (void **)&out, &n_out)) {
    napi_throw_type_error(env, NULL, "gatherRows: features and out must be Float32Arrays, indices an Int32Array");
    return NULL;
  }
  const int d = int_arg(&c, 1), from = int_arg(&c, 3), rows = int_arg(&c, 4);
  if (c.failed) return NULL;
  if ((size_t)from + (size_t)rows > n_indices) {
    fail(&c, "gatherRows: from + rows is past the end of indices");
    return NULL;
  }
  if ((size_t)rows * (size_t)d > n_out) {
    fail(&c, "gatherRows: out is shorter than rows x d floats");
    return NULL;
  }
  const size_t dataset_rows = d > 0 ? n_features / (size_t)d : 0;
  for (int r = 0; r < rows; r++) {
    const int32_t idx = indices[from + r];
    if (idx < 0 || (d > 0 && (size_t)idx >= dataset_rows)) {
      fail(&c, "gatherRows: an index is outside the dataset");
      return NULL;
    }
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
