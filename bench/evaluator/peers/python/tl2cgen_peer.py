"""tl2cgen: treelite reads model.txt, tl2cgen writes C, the machine's cc compiles it into a shared library (-O2)."""
import os
import subprocess

import tl2cgen
import treelite


def prepare(model: str, outdir: str, raw: bool) -> str:
    src = os.path.join(outdir, "src")
    lib = os.path.join(outdir, "predictor.so")
    tl2cgen.generate_c_code(treelite.frontend.load_lightgbm_model(model), src, params={})
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", lib, os.path.join(src, "main.c"), "-lm"], check=True)
    return lib
