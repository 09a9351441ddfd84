"""Record the numbers a notebook measures, so the runner can collect them into ``results/``."""

from __future__ import annotations

import json
import math
import re

from course_utils import config

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def record(name: str, value: float, unit: str) -> float:
    """Print ``name = value unit`` and, under the course's runner, save the metric for it.

    ``name`` is lower_snake_case (it becomes a key of ``results/expected_results.json``),
    ``value`` a finite number, ``unit`` a short string such as "MSE per pixel", "dB" or "s".
    Returns ``value`` as a float.
    """
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(f"name: expected lower_snake_case such as 'faces_test_mse_ae', got {name!r}")
    if not isinstance(unit, str) or not unit.strip():
        raise ValueError(f"unit: expected a non-empty string such as 'dB' or 'MSE per pixel', got {unit!r}")
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"value: expected a number, got {type(value).__name__}") from error
    if not math.isfinite(number):
        raise ValueError(f"value: expected a finite number for {name!r}, got {number}")
    print(f"{name} = {number:.6g} {unit}")
    target = config.results_file()
    if target is not None:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"name": name, "value": number, "unit": unit}) + "\n")
    return number


def read_recorded(path) -> dict[str, dict]:
    """The metrics a run recorded, as {name: {"value", "unit"}}; a later record of a name wins."""
    metrics = {}
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return metrics
    for line in lines:
        if line.strip():
            entry = json.loads(line)
            metrics[entry["name"]] = {"value": entry["value"], "unit": entry["unit"]}
    return metrics
