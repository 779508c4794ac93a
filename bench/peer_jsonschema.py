"""The fair peer of `govcloud validate`: jsonschema over PyYAML's C loader, as one process.

    python bench/peer_jsonschema.py SCHEMA.json FILE...
    python bench/peer_jsonschema.py --parse-only FILE...

What a team without govcloud would write: each file read with PyYAML's libyaml-backed
CSafeLoader (dates kept as strings, as the JSON Schema expects them: the loader's timestamp
resolver is removed), then checked by one jsonschema validator built once for the schema
govcloud exports (`govcloud schema`), formats checked as check-jsonschema checks them.
Prints every error as `file: path: message` and exits 1 when any file is invalid, like
check-jsonschema. bench_validate.py runs it as a whole process beside `govcloud validate`.

`--parse-only` reads the files with the same loader and checks nothing: the floor under any
checker of these files that reads YAML with PyYAML, govcloud and this peer alike (Python's start,
PyYAML's import and libyaml's parse), which bench_validate.py prints beside the goal.
"""

from __future__ import annotations

import json
import sys

import yaml


class _Loader(yaml.CSafeLoader):
    """CSafeLoader without the timestamp resolver: `2026-03-01` stays the string the schema says."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def parse_only(paths: list[str]) -> int:
    for path in paths:
        with open(path, "rb") as handle:
            yaml.load(handle, Loader=_Loader)  # noqa: S506 - a safe loader (CSafeLoader)
    print(f"{len(paths)} file(s) read")
    return 0


def main(argv: list[str]) -> int:
    if argv[0] == "--parse-only":
        return parse_only(argv[1:])
    import jsonschema           # here: the parse-only floor does not pay for it

    with open(argv[0], encoding="utf-8") as handle:
        schema = json.load(handle)
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    invalid = 0
    for path in argv[1:]:
        with open(path, "rb") as handle:
            data = yaml.load(handle, Loader=_Loader)  # noqa: S506 - a safe loader (CSafeLoader)
        errors = list(validator.iter_errors(data))
        invalid += bool(errors)
        for error in errors:
            print(f"{path}: {error.json_path}: {error.message}")
    print(f"{len(argv) - 1} file(s), {invalid} invalid")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
