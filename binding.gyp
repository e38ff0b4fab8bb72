# The native kernel set (native/src, C through Node-API): one addon, ablate_kernels.node, built by
# scripts/build-native.mjs on `npm install` (node-gyp) and by prebuildify in the release workflow.
# Every instruction set's file is compiled into it; each x86 file selects its instructions with a
# target pragma, so the rest of the addon stays baseline and cpu.c picks a path at run time.
# Floating-point contraction is off everywhere: only the explicit FMA intrinsics fuse.
{
  "targets": [
    {
      "target_name": "ablate_kernels",
      "sources": [
        "native/src/addon.c",
        "native/src/addon_kernels.c",
        "native/src/addon_gather.c",
        "native/src/clock.c",
        "native/src/cpu.c",
        "native/src/gemm_portable.c",
        "native/src/gemm_avx2.c",
        "native/src/gemm_avx512.c",
        "native/src/gemm_neon.c",
        "native/src/activations.c",
        "native/src/batchnorm.c",
        "native/src/elementwise.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=c11", "-O3", "-ffp-contract=off", "-fno-math-errno", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags!": ["-O2"],
      "xcode_settings": {
        "OTHER_CFLAGS": ["-std=c11", "-O3", "-ffp-contract=off", "-fno-math-errno"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": {
          "AdditionalOptions": ["/std:c11", "/O2", "/fp:precise"]
        }
      }
    }
  ]
}
