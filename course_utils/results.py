"""Record the numbers a notebook measures, so the runner can collect them into ``results/``."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

import numpy as np

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


@dataclass(frozen=True)
class Spread:
    """One metric measured over several seeds: the values, their mean and sample standard deviation."""

    values: tuple[float, ...]

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def std(self) -> float:
        return float(np.std(self.values, ddof=1)) if len(self.values) > 1 else 0.0

    @property
    def range(self) -> float:
        """Largest minus smallest value: the run-to-run spread a difference must exceed."""
        return float(max(self.values) - min(self.values))

    def __str__(self) -> str:
        if len(self.values) == 1:
            return f"{self.values[0]:.4g}"
        return f"{self.mean:.4g} ± {self.std:.2g} ({len(self.values)} seeds, {min(self.values):.4g} to {max(self.values):.4g})"


def record_seeds(name: str, values, unit: str) -> Spread:
    """Record a metric measured once per seed as ``name_mean`` and ``name_std`` (sample standard deviation).

    ``values`` holds one number per seed (at least 2). Prints both records and the individual values.
    """
    try:
        numbers = tuple(float(value) for value in values)
    except TypeError as error:
        raise TypeError(
            f"values: expected a sequence of numbers, one per seed, got {type(values).__name__}"
        ) from error
    if len(numbers) < 2:
        raise ValueError(
            f"values: expected at least 2 seeds to measure a spread for {name!r}, got {len(numbers)}"
        )
    spread = Spread(numbers)
    record(f"{name}_mean", spread.mean, unit)
    record(f"{name}_std", spread.std, unit)
    print(f"  per seed: {', '.join(f'{number:.6g}' for number in numbers)}")
    return spread


def _as_spread(value, name: str) -> Spread:
    if isinstance(value, Spread):
        return value
    try:
        return Spread((float(value),))
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name}: expected a Spread (from record_seeds) or a number, got {type(value).__name__}"
        ) from error


def verdict(first_name: str, first, second_name: str, second, lower_is_better: bool = True) -> str:
    """Say which of two measurements is better, or that they tie.

    ``first`` and ``second`` are numbers or :class:`Spread` s. A difference of the means no larger than the
    larger of the two seed ranges (max - min) is a tie: run-to-run noise could have made it.
    """
    a, b = _as_spread(first, "first"), _as_spread(second, "second")
    gap, noise = abs(a.mean - b.mean), max(a.range, b.range)
    head = f"{first_name} {a} vs {second_name} {b}: "
    if gap <= noise:
        return head + f"a tie (the gap {gap:.2g} is within the seeds' spread {noise:.2g})"
    first_wins = (a.mean < b.mean) == lower_is_better
    winner, loser = (first_name, second_name) if first_wins else (second_name, first_name)
    return head + f"{winner} better than {loser} (the gap {gap:.2g} exceeds the seeds' spread {noise:.2g})"


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
