"""Runs the Python reader on every golden vector; prints the results as JSON
(tests/readers.rs compares them with the vectors)."""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ inside pkg-template/
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "pkg-template", "server"))
from consent_gate import read_consent  # noqa: E402

with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
out = {
    "valid": [read_consent(v["value"], doc["now"]) for v in doc["valid"]],
    "defaultNow": [read_consent(v["value"]) for v in doc["valid"]],
    "invalid": [read_consent(v["value"], doc["now"]) for v in doc["invalid"]],
}
print(json.dumps(out))
