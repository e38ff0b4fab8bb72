#!/usr/bin/env python3
"""Records the Sobol points test/search-sobol.test.ts checks src/services/experiments/search/sobol.ts
against, computed here independently by PyTorch's SobolEngine and SciPy's qmc.Sobol (both unscrambled,
both with the Joe-Kuo new-joe-kuo-6.21201 direction numbers): the first 256 points and points
1000..1015 in 32 dimensions. The two libraries are checked to agree before anything is written.

    /usr/bin/python3 scripts/record-sobol-reference.py   # writes test/fixtures/sobol-reference.json
"""
import json
import os

import numpy as np
import scipy
import torch
from scipy.stats import qmc

DIMS = 32
FIRST = 256
LATER = (1000, 16)

engine = torch.quasirandom.SobolEngine(DIMS, scramble=False)
first = engine.draw(FIRST, dtype=torch.float64).numpy()
engine = torch.quasirandom.SobolEngine(DIMS, scramble=False)
engine.fast_forward(LATER[0])
later = engine.draw(LATER[1], dtype=torch.float64).numpy()

sampler = qmc.Sobol(DIMS, scramble=False)
assert np.array_equal(sampler.random(FIRST), first), "SciPy and PyTorch disagree on the first points"
sampler = qmc.Sobol(DIMS, scramble=False)
sampler.fast_forward(LATER[0])
assert np.array_equal(sampler.random(LATER[1]), later), "SciPy and PyTorch disagree on the later points"

out = {
    "source": f"torch {torch.__version__} SobolEngine(scramble=False), equal to scipy {scipy.__version__} qmc.Sobol(scramble=False)",
    "dimensions": DIMS,
    "first": first.tolist(),
    "laterStart": LATER[0],
    "later": later.tolist(),
}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "sobol-reference.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("wrote", os.path.normpath(path))
