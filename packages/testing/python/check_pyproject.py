"""Load pyproject.toml with Python's own TOML parser and print it as JSON (tables as objects)."""
import json
import sys
import tomllib

with open(sys.argv[1], "rb") as handle:
    print(json.dumps(tomllib.load(handle), default=str))
