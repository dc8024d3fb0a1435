"""onnxmltools: the LightGBM model as an ONNX graph (float32 input, as the converter makes it), for onnxruntime-node."""
import os

import lightgbm as lgb
import onnxmltools
from onnxmltools.convert.common.data_types import FloatTensorType


def prepare(model: str, outdir: str, raw: bool) -> str:
    if raw:
        raise ValueError("the ONNX conversion has no raw-score output")
    booster = lgb.Booster(model_file=model)
    onx = onnxmltools.convert_lightgbm(booster, initial_types=[("input", FloatTensorType([None, booster.num_feature()]))],
                                       zipmap=False)
    path = os.path.join(outdir, "model.onnx")
    with open(path, "wb") as fh:
        fh.write(onx.SerializeToString())
    return path
