"""The FastAPI control: serves a LightGBM model.txt with LightGBM itself, behind the project's HTTP contract."""
