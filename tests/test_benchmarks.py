"""``python -m benchmarks`` works end to end: a tiny run (one pair, two figures) prints one JSON
object with each figure and, for a ratio, the app's and the floor's times. Times are not judged."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_the_benchmark_runs_in_a_tiny_mode_and_prints_one_json_object() -> None:
    only = "read_ratio,page_parse_ms"
    command = [sys.executable, "-m", "benchmarks", "--pairs", "1", "--only", only, "--json"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert {"read_ratio", "page_parse_ms"} <= set(figures)
    read = figures["read_ratio"]
    assert read["app_ms"] > 0 and read["floor_ms"] > 0 and read["value"] > 0 and read["goal"] == 1.25
    assert figures["page_parse_ms"]["unit"] == "ms"


def test_an_unknown_key_is_refused_with_the_known_ones() -> None:
    command = [sys.executable, "-m", "benchmarks", "--only", "warp_speed"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "warp_speed" in result.stderr and "read_ratio" in result.stderr
