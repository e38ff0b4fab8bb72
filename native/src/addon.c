/*
 * The Node-API binding of the native kernel set (C, Node-API version 8; loads unchanged in Node
 * and Electron). `create(view, scratchOffset, scratchBytes, floats)` takes a Float32Array over the
 * whole run memory (a shared WebAssembly.Memory's SharedArrayBuffer) and a Float64Array of at
 * least ABL_FLOAT_SLOTS doubles over its own SharedArrayBuffer (the float block, where the binding
 * writes each call's float arguments), and returns an object of kernel functions bound to them
 * (addon_kernels.c), in the flat ABI of src/engine/kernels/contract.ts (names and argument order):
 * every pointer argument is a byte offset into that memory, checked against its length before any
 * access (addon.h), so the kernels read and write the memory other threads see, in place, without
 * copies. Both addresses are read once: a SharedArrayBuffer never moves. The object holds
 * references to both views, so the memories outlive it. Each thread creates its own
 * object with its own scratch region; module state is only the CPU path, chosen once per process.
 * Also exported: `isa` (the chosen path, or null with `loadError`), `supportedPaths`, `abi`
 * (ABL_ABI_VERSION in addon.h), which the loader checks so that a stale build is refused, and a
 * clock that allocates nothing: `clock()` writes the monotonic time in milliseconds (clock.c)
 * into `clockReading[0]`, a Float64Array of this thread's copy of the module, and the same in
 * whole milliseconds modulo 2^30 into `clockReadingMs[0]`, an Int32Array
 * (src/engine/run/clock.ts says why), and `gatherRows`, which copies a batch's dataset rows
 * (addon_gather.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"
#include "clock.h"

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  instance *inst = (instance *)data;
  napi_delete_reference(env, inst->view);
  if (inst->floats_view) napi_delete_reference(env, inst->floats_view);
  free(inst);
}

static napi_value create(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    napi_throw_type_error(env, NULL, "native kernels: create(view, scratchOffset, scratchBytes, floats)");
    return NULL;
  }
  const char *error = NULL;
  const abl_gemm_isa *isa = abl_gemm_select(&error);
  if (isa == NULL) {
    napi_throw_error(env, NULL, error);
    return NULL;
  }
  bool is_typed = false;
  napi_is_typedarray(env, argv[0], &is_typed);
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void *data = NULL;
  napi_value buffer;
  if (!is_typed || napi_get_typedarray_info(env, argv[0], &type, &length, &data, &buffer, &offset) != napi_ok ||
      type != napi_float32_array || offset != 0) {
    napi_throw_type_error(env, NULL, "native kernels: the view must be a Float32Array over the whole run memory");
    return NULL;
  }
  napi_typedarray_type floats_type;
  size_t floats_length = 0, floats_offset = 0;
  void *floats_data = NULL;
  napi_value floats_buffer;
  is_typed = false;
  napi_is_typedarray(env, argv[3], &is_typed);
  if (!is_typed ||
      napi_get_typedarray_info(env, argv[3], &floats_type, &floats_length, &floats_data, &floats_buffer, &floats_offset) !=
          napi_ok ||
      floats_type != napi_float64_array || floats_length < ABL_FLOAT_SLOTS) {
    napi_throw_type_error(env, NULL, "native kernels: the float block must be a Float64Array of at least 16 doubles");
    return NULL;
  }
  double scratch_off = 0, scratch_bytes = 0;
  napi_get_value_double(env, argv[1], &scratch_off);
  napi_get_value_double(env, argv[2], &scratch_bytes);
  if (!(scratch_off >= 0) || !(scratch_bytes >= 0) || (size_t)scratch_off % 64 != 0 ||
      scratch_off + scratch_bytes > (double)length * 4) {
    napi_throw_range_error(env, NULL, "native kernels: bad scratch region");
    return NULL;
  }
  instance *inst = (instance *)calloc(1, sizeof(instance));
  if (inst == NULL) {
    napi_throw_error(env, NULL, "native kernels: out of memory");
    return NULL;
  }
  inst->base = (char *)data;
  inst->bytes = length * 4;
  inst->scratch.ptr = (float *)(inst->base + (size_t)scratch_off);
  inst->scratch.bytes = (size_t)scratch_bytes;
  inst->isa = isa;
  inst->floats = (const double *)floats_data;
  napi_value obj;
  napi_create_object(env, &obj);
  if (napi_create_reference(env, argv[0], 1, &inst->view) != napi_ok ||
      napi_create_reference(env, argv[3], 1, &inst->floats_view) != napi_ok ||
      napi_add_finalizer(env, obj, inst, finalize, NULL, NULL) != napi_ok) {
    free(inst);
    napi_throw_error(env, NULL, "native kernels: cannot hold the run memory");
    return NULL;
  }
  for (size_t i = 0; i < abl_method_count; i++) {
    napi_value fn;
    napi_create_function(env, abl_methods[i].name, NAPI_AUTO_LENGTH, abl_methods[i].fn, inst, &fn);
    napi_set_named_property(env, obj, abl_methods[i].name, fn);
  }
  return obj;
}

static napi_value string_or_null(napi_env env, const char *s) {
  napi_value v;
  if (s == NULL) napi_get_null(env, &v);
  else napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

/* The clock's buffer: the reading in ms, then the same in whole ms modulo 2^30 (a small integer to
 * V8 even with pointer compression, so that code comparing readings makes no heap number even
 * unoptimized; run/clock.ts). */
typedef struct {
  double ms;
  int32_t whole_ms;
} abl_clock_reading;

static napi_value clock_tick(napi_env env, napi_callback_info info) {
  abl_clock_reading *reading = NULL;
  napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&reading);
  reading->ms = abl_monotonic_ms();
  reading->whole_ms = (int32_t)((int64_t)reading->ms & 0x3fffffff);
  return NULL;
}

/* `clock`, `clockReading` and `clockReadingMs` on exports; the readings' buffer is this environment's (thread's) own. */
static void export_clock(napi_env env, napi_value exports) {
  void *data = NULL;
  napi_value buffer, reading, whole, fn;
  napi_ref keep;
  napi_create_arraybuffer(env, sizeof(abl_clock_reading), &data, &buffer);
  napi_create_reference(env, buffer, 1, &keep); /* never released: the clock writes there for the thread's life */
  napi_create_typedarray(env, napi_float64_array, 1, buffer, offsetof(abl_clock_reading, ms), &reading);
  napi_set_named_property(env, exports, "clockReading", reading);
  napi_create_typedarray(env, napi_int32_array, 1, buffer, offsetof(abl_clock_reading, whole_ms), &whole);
  napi_set_named_property(env, exports, "clockReadingMs", whole);
  napi_create_function(env, "clock", NAPI_AUTO_LENGTH, clock_tick, data, &fn);
  napi_set_named_property(env, exports, "clock", fn);
}

NAPI_MODULE_INIT() {
  const char *error = NULL;
  const abl_gemm_isa *isa = abl_gemm_select(&error);
  napi_value fn;
  napi_create_function(env, "create", NAPI_AUTO_LENGTH, create, NULL, &fn);
  napi_set_named_property(env, exports, "create", fn);
  napi_set_named_property(env, exports, "isa", string_or_null(env, isa ? isa->name : NULL));
  napi_set_named_property(env, exports, "loadError", string_or_null(env, error));
  napi_set_named_property(env, exports, "supportedPaths", string_or_null(env, abl_gemm_supported()));
  napi_value abi;
  napi_create_int32(env, ABL_ABI_VERSION, &abi);
  napi_set_named_property(env, exports, "abi", abi);
  export_clock(env, exports);
  abl_export_gather(env, exports);
  return exports;
}
