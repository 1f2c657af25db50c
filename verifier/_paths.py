"""Where the files the verifier ships live."""
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
