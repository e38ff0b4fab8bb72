"""Single-thread SGEMM peer of Ablate's GEMM benchmark (src/bench/gemm.ts), through torch's BLAS.

Contract: run by blas-gemm.ts (beside this file) as
    python openblas_gemm.py SHAPES
SHAPES is a comma-separated list of rows:in:out layer shapes. For each, times the three products
of a linear layer exactly as Ablate's kernels compute them (forward x @ W^T, input gradient
dY @ W, weight gradient dY^T @ x, float32, contiguous row-major operands as Ablate stores them)
on one thread, best of 7 trials of at least 40 ms of this process's CPU time (as gemm.ts), and
prints one JSON object on stdout:
    {"torch": str, "blas": str, "results": [{"rows", "in", "out", "product", "gflops"}]}
The caller owns the environment (OpenBLAS core type, OPENBLAS_NUM_THREADS=1).
"""

import json
import sys
import time

import torch

from pytorch_mlp import blas_description


def best_gflops(fn, flops: float) -> float:
    for _ in range(3):
        fn()
    reps = 1
    while True:
        t0 = time.process_time()
        for _ in range(reps):
            fn()
        if time.process_time() - t0 >= 0.04:
            break
        reps *= 2
    best = 0.0
    for _ in range(7):
        t0 = time.process_time()
        for _ in range(reps):
            fn()
        elapsed = time.process_time() - t0
        best = max(best, flops * reps / elapsed / 1e9)
    return best


def main() -> None:
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(1)
    results = []
    for shape in sys.argv[1].split(","):
        rows, inn, out = (int(v) for v in shape.split(":"))
        x = torch.rand(rows, inn, generator=gen) * 2 - 1
        w = torch.rand(out, inn, generator=gen) * 2 - 1
        dy = torch.rand(rows, out, generator=gen) * 2 - 1
        y = torch.empty(rows, out)
        dx = torch.empty(rows, inn)
        dw = torch.empty(out, inn)
        flops = 2.0 * rows * inn * out
        for product, fn in (
            ("forward", lambda: torch.mm(x, w.t(), out=y)),
            ("dX", lambda: torch.mm(dy, w, out=dx)),
            ("dW", lambda: torch.mm(dy.t(), x, out=dw)),
        ):
            results.append({"rows": rows, "in": inn, "out": out, "product": product, "gflops": best_gflops(fn, flops)})
    print(json.dumps({"torch": torch.__version__, "blas": blas_description(), "results": results}))


if __name__ == "__main__":
    main()
