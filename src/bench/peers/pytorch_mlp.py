"""PyTorch peer of Ablate's reference benchmark (src/bench/peers/reference-mlp.ts).

Contract: run by src/bench/peers/pytorch.ts as
    python pytorch_mlp.py DATA_FILE N BATCHES THREADS SECONDS WARMUP
DATA_FILE holds N*784 little-endian float32 pixels (row-major) followed by N int32 labels.
BATCHES and THREADS are comma-separated lists. Trains MLP 784-512-512-10 (ReLU, softmax
cross-entropy, plain SGD lr 0.01) once per (batch, threads) pair, each from a fresh model, and
prints exactly one JSON object on stdout:
    {"torch": str, "blas": str, "sgemmCheck": str, "results": [{"batch", "threads", "samplesPerSec", "steps", "othersCpu"}]}
othersCpu is the share of all CPUs that other processes used while that result was measured.
Anything else goes to stderr. The caller owns the environment (OpenBLAS and malloc variables).
"""

import ctypes
import json
import os
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

IN, HIDDEN, OUT, LR = 784, 512, 10, 0.01


def blas_description() -> str:
    """Which BLAS the process really loaded; torch's build config only says BLAS_INFO=generic
    for Debian's build, which links libblas.so.3 and lets the alternatives system choose."""
    libs = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if ("blas" in path or "blis" in path or "mkl" in path) and path not in libs:
                libs.append(path)
    for path in libs:
        if "openblas" in path:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_corename.restype = ctypes.c_char_p
                config = lib.openblas_get_config().decode()
                core = lib.openblas_get_corename().decode()
                return f"{config.split(' DYNAMIC_ARCH')[0]} ({core} kernels, {config.split()[-1]})"
            except (OSError, AttributeError):
                pass
    names = ", ".join(p.rsplit("/", 1)[-1] for p in libs)
    return names or "no BLAS library mapped (reference kernels?)"


def sgemm_check() -> str:
    """Float32 GEMM against float64 on the benchmark's shapes: OpenBLAS kernels picked for a CPU
    they were not written for have been known to return garbage, and a fast wrong peer is no peer."""
    gen = torch.Generator().manual_seed(1)
    worst = 0.0
    for m, k, n in ((32, IN, HIDDEN), (HIDDEN, 32, IN), (128, HIDDEN, HIDDEN), (512, HIDDEN, OUT)):
        a = torch.rand(m, k, generator=gen) - 0.5
        b = torch.rand(k, n, generator=gen) - 0.5
        ref = a.double() @ b.double()
        err = ((a @ b).double() - ref).abs().max().item() / max(ref.abs().max().item(), 1e-30)
        worst = max(worst, err)
    if worst > 1e-4:
        raise SystemExit(f"float32 matmul disagrees with float64 (relative error {worst:.2e}): refusing to benchmark")
    return f"ok (max rel. error {worst:.1e})"


def make_model() -> nn.Module:
    model = nn.Sequential(nn.Linear(IN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, OUT))
    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)  # Glorot uniform, as Keras and the tfjs peer
            nn.init.zeros_(layer.bias)
    return model


def busy_seconds():
    """CPU time used so far by the whole machine and by this process, in seconds. Their difference
    over a measurement is what other processes took: on 2 cores a benchmark with 2 threads is
    only meaningful when that is near zero."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    machine = (sum(fields[:8]) - fields[3] - fields[4]) / tick  # all but idle and iowait
    own = time.process_time()
    return machine, own


def bench(xs, ys, threads: int, seconds: float, warmup: int):
    torch.set_num_threads(threads)
    model = make_model()
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    batches = len(xs)
    state = {"i": 0}

    def step():
        i = state["i"]
        state["i"] = (i + 1) % batches
        # set_to_none: backward then writes fresh gradients instead of zeroing and accumulating,
        # PyTorch's fastest documented setting (default only from 2.0 on).
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xs[i]), ys[i])
        loss.backward()
        opt.step()
        return loss

    # Warm-up, but never more than about a third of the measuring time.
    t0 = time.perf_counter()
    for k in range(warmup):
        if k > 0 and time.perf_counter() - t0 > seconds / 3:
            break
        step()
    steps = 0
    machine0, own0 = busy_seconds()
    t0 = time.perf_counter()
    while True:
        loss = step()
        steps += 1
        elapsed = time.perf_counter() - t0
        if steps >= 3 and elapsed >= seconds:
            break
    machine1, own1 = busy_seconds()
    if not torch.isfinite(loss):
        raise SystemExit("training diverged: loss is not finite")
    others = max(0.0, (machine1 - machine0) - (own1 - own0)) / (elapsed * os.cpu_count())
    return steps * xs[0].shape[0] / elapsed, steps, others


def main() -> None:
    path, n = sys.argv[1], int(sys.argv[2])
    batch_sizes = [int(b) for b in sys.argv[3].split(",")]
    thread_counts = [int(t) for t in sys.argv[4].split(",")]
    seconds, warmup = float(sys.argv[5]), int(sys.argv[6])
    if sys.byteorder != "little":
        raise SystemExit("the data file is little-endian; this host is not")
    with open(path, "rb") as f:
        raw = bytearray(f.read())
    if len(raw) != n * (IN + 1) * 4:
        raise SystemExit(f"data file has {len(raw)} bytes, expected {n * (IN + 1) * 4}")
    x = torch.frombuffer(raw, dtype=torch.float32, count=n * IN).reshape(n, IN).clone()
    y = torch.frombuffer(raw, dtype=torch.int32, count=n, offset=n * IN * 4).long()
    if n > 0 and (y.min().item() < 0 or y.max().item() >= OUT):
        raise SystemExit("labels must lie in 0..9")

    check = sgemm_check()
    results = []
    for batch in batch_sizes:
        count = n // batch
        if count == 0:
            raise SystemExit(f"batch {batch} is larger than the data ({n} samples)")
        # Whole batches as contiguous views, split once: the timed loop copies no data.
        xs = [x[i * batch : (i + 1) * batch] for i in range(count)]
        ys = [y[i * batch : (i + 1) * batch] for i in range(count)]
        for threads in thread_counts:
            sps, steps, others = bench(xs, ys, threads, seconds, warmup)
            results.append({"batch": batch, "threads": threads, "samplesPerSec": sps, "steps": steps, "othersCpu": others})
    print(json.dumps({"torch": torch.__version__, "blas": blas_description(), "sgemmCheck": check, "results": results}))


if __name__ == "__main__":
    main()
