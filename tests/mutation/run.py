"""`make mutation`: mutmut over who may see and do what (README.md, "Mutation testing").

What is mutated and which tests run are set in ONE place, [tool.mutmut] in pyproject.toml:
`only_mutate` names the files (mutmut reads it), `komdir_functions` the functions in them
whose mutants run (this script reads it and passes them to `mutmut run` as mutant names),
`pytest_add_cli_args_test_selection` the tests. The script checks that the two lists agree
and that every function named still exists, so a moved module fails loudly instead of
quietly testing nothing.

It starts from a fresh mutants/ (mutmut copies the files it does not mutate once and never
refreshes them), prints killed/survived/total for the functions named and, for every mutant
that survived or that no test reached, the mutation itself (`mutmut show`).
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[2]
MUTMUT = str(Path(sys.executable).parent / "mutmut")


def mutant_glob(spec: str) -> tuple[str, str]:
    """("focus/models.py", "focus.models.xǁCaseQuerySetǁvisible_to__mutmut_*") for
    "focus/models.py:CaseQuerySet.visible_to"; a bare file means every function in it, a bare
    class every method of it."""
    path, _, name = spec.partition(":")
    module = path.removesuffix(".py").replace("/", ".")
    if not name:
        return path, f"{module}.*"
    if name[0].isupper():
        cls, _, method = name.partition(".")
        return path, f"{module}.xǁ{cls}ǁ{method}__mutmut_*" if method else f"{module}.xǁ{cls}ǁ*"
    return path, f"{module}.x_{name}__mutmut_*"


def defined(path: Path, name: str) -> bool:
    """Whether `name` ("function", "Class" or "Class.method") is defined at the top of `path`."""
    top, _, method = name.partition(".")
    for node in ast.parse(path.read_text("utf-8")).body:
        if getattr(node, "name", None) != top:
            continue
        if not method:
            return True
        return isinstance(node, ast.ClassDef) and any(getattr(n, "name", None) == method for n in node.body)
    return False


def main() -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    specs = config["komdir_functions"]
    targets = [mutant_glob(spec) for spec in specs]
    files = set(config["only_mutate"])
    named = {path for path, _ in targets}
    if files != named:
        print(
            "[tool.mutmut] only_mutate and komdir_functions name different files:\n"
            f"  only in only_mutate: {sorted(files - named)}\n  only in komdir_functions: {sorted(named - files)}",
            file=sys.stderr,
        )
        return 2
    missing = [path for path in files if not (ROOT / path).is_file()]
    missing += [
        spec for spec in specs if ":" in spec and not defined(ROOT / spec.split(":")[0], spec.split(":")[1])
    ]
    if missing:
        print(
            f"[tool.mutmut] names files or functions that do not exist (moved?): {missing}", file=sys.stderr
        )
        return 2

    shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    started = time.monotonic()
    run = subprocess.run([MUTMUT, "run", *(glob for _, glob in targets)], cwd=ROOT, check=False)
    elapsed = time.monotonic() - started
    if run.returncode != 0:
        print(f"\nmutmut run failed (exit {run.returncode}).", file=sys.stderr)
        return run.returncode

    results: dict[str, int | None] = {}
    for path in files:
        meta = ROOT / "mutants" / f"{path}.meta"
        if meta.exists():
            results.update(json.loads(meta.read_text("utf-8"))["exit_code_by_key"])

    for spec, (_, glob) in zip(specs, targets, strict=True):
        if not any(fnmatch(k, glob) for k in results):
            print(f"\nWARNING: {spec} has no mutants (mutmut skips properties and decorated functions).")
    selected = {k: v for k, v in results.items() if any(fnmatch(k, glob) for _, glob in targets)}
    verdict = {k: status_by_exit_code[v] for k, v in selected.items()}
    counts = Counter(verdict.values())
    for name in sorted(k for k, v in verdict.items() if v != "killed"):
        show = subprocess.run([MUTMUT, "show", name], cwd=ROOT, capture_output=True, text=True, check=False)
        print(f"\n{show.stdout.strip()}")
    summary = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
    print(
        f"\nMutation score: {counts['killed']}/{len(selected)} killed ({summary}) in {elapsed / 60:.1f} min."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
