"""lleaves: compile model.txt with LLVM (compile(cache=...) writes an object file), link it into a shared library."""
import os
import subprocess

import lleaves


def prepare(model: str, outdir: str, raw: bool) -> str:
    obj = os.path.join(outdir, "forest.o")
    lib = os.path.join(outdir, "forest.so")
    lleaves.Model(model_file=model).compile(cache=obj, raw_score=raw)
    subprocess.run(["cc", "-shared", "-o", lib, obj, "-lm"], check=True)
    return lib
