"""Single-thread SGEMM peer of Ablate's GEMM benchmark (src/bench/gemm.ts), through torch's BLAS.

Contract: run by blas-gemm.ts (beside this file) as a long-lived child,
    python openblas_gemm.py
driven over stdin with one JSON request per line, each answered by one JSON line on stdout. The
first line it prints, before reading anything, is {"torch": str, "blas": str}. Requests:
    {"op": "shape", "rows", "in", "out"}    operands of a layer call (uniform in [-1, 1)) -> {}
    {"op": "calibrate", "product", "warmupMs", "trialMs"}
        warm-up calls (at least 3 and warmupMs of CPU time), then the calls per trial (doubling)
        that take at least trialMs -> {"reps": int}
    {"op": "trial", "product", "reps"}    CPU seconds of this process for reps calls -> {"seconds"}
Products as Ablate's kernels compute them: forward x @ W^T, dX = dY @ W, dW = dY^T @ x (float32,
contiguous row-major operands as Ablate stores them). The caller times its own kernels between
these trials, so that the two alternate and the host's drift in speed cancels in their ratio. On
a bad request it prints {"error": str} and goes on. The caller owns the environment (OpenBLAS core
type, OPENBLAS_NUM_THREADS=1); end of input ends the process.
"""

import json
import sys
import time

import torch

from pytorch_mlp import blas_description


def reply(obj) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def calibrate(fn, warmup_ms: float, trial_ms: float) -> int:
    t0 = time.process_time()
    calls = 0
    while calls < 3 or (time.process_time() - t0) * 1e3 < warmup_ms:
        fn()
        calls += 1
    reps = 1
    while True:
        t0 = time.process_time()
        for _ in range(reps):
            fn()
        if (time.process_time() - t0) * 1e3 >= trial_ms:
            return reps
        reps *= 2


def main() -> None:
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(1)
    products = {}
    reply({"torch": torch.__version__, "blas": blas_description()})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            op = req["op"]
            if op == "shape":
                rows, inn, out = int(req["rows"]), int(req["in"]), int(req["out"])
                x = torch.rand(rows, inn, generator=gen) * 2 - 1
                w = torch.rand(out, inn, generator=gen) * 2 - 1
                dy = torch.rand(rows, out, generator=gen) * 2 - 1
                y = torch.empty(rows, out)
                dx = torch.empty(rows, inn)
                dw = torch.empty(out, inn)
                products = {
                    "forward": lambda: torch.mm(x, w.t(), out=y),
                    "dX": lambda: torch.mm(dy, w, out=dx),
                    "dW": lambda: torch.mm(dy.t(), x, out=dw),
                }
                reply({})
            elif op == "calibrate":
                reply({"reps": calibrate(products[req["product"]], float(req["warmupMs"]), float(req["trialMs"]))})
            elif op == "trial":
                fn = products[req["product"]]
                reps = int(req["reps"])
                t0 = time.process_time()
                for _ in range(reps):
                    fn()
                reply({"seconds": time.process_time() - t0})
            else:
                reply({"error": f"unknown op {op!r}"})
        except (KeyError, ValueError, TypeError) as err:
            reply({"error": f"bad request {line.strip()!r}: {err!r}"})


if __name__ == "__main__":
    main()
