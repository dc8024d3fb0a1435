"""m2cgen: plain JavaScript from the model (m2cgen takes LightGBM's scikit-learn wrappers, so the Booster is put in one)."""
import os

import lightgbm as lgb
import m2cgen


def prepare(model: str, outdir: str, raw: bool) -> str:
    if raw:
        raise ValueError("m2cgen has no raw-score output")
    booster = lgb.Booster(model_file=model)
    num_class = booster.num_model_per_iteration()
    objective = booster.dump_model(num_iteration=0)["objective"].split(" ")[0]
    classifier = objective in ("binary", "multiclass", "multiclassova")
    est = lgb.LGBMClassifier() if classifier else lgb.LGBMRegressor()
    est._Booster = booster
    est.fitted_ = True
    est._n_features = booster.num_feature()
    if classifier:
        est._n_classes = max(num_class, 2)
    path = os.path.join(outdir, "model.js")
    with open(path, "w") as fh:
        fh.write(m2cgen.export_to_javascript(est) + "\nmodule.exports = score;\n")
    return path
