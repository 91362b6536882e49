"""Start-up time: from process start to the app's first frame, and what was imported by then.

Runs the real ``ForumApp`` headless in fresh processes (no demo server, no saved account,
so it shows the log-in screen) and prints the median and spread. Usage:

    .venv/bin/python benchmarks/startup_bench.py [runs]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
started = float(sys.argv[1])
from tui.app import ForumApp
imported = time.time()

class Timed(ForumApp):
    def on_mount(self):
        self.call_after_refresh(self.first_frame)

    def first_frame(self):
        heavy = [name for name in ("httpx", "keyring", "PIL", "selectolax") if name in sys.modules]
        print(json.dumps({"import": imported - started, "frame": time.time() - started, "heavy": heavy}))
        self.exit()

Timed().run(headless=True)
"""


def one_run(home: str) -> dict[str, object]:
    environment = {"HOME": home, "XDG_CONFIG_HOME": f"{home}/c", "XDG_DATA_HOME": f"{home}/d", "PATH": ""}
    started = time.time()
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(started)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    return json.loads(line)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as home:
        results = [one_run(home) for _ in range(runs)]
    for label, key in (("import tui.app", "import"), ("first frame", "frame")):
        values = [float(result[key]) * 1000 for result in results]
        print(
            f"{label:>15}: median {statistics.median(values):6.0f} ms   "
            f"min {min(values):6.0f} ms   max {max(values):6.0f} ms   ({runs} runs)"
        )
    heavy = sorted({name for result in results for name in result["heavy"]})  # type: ignore[union-attr]
    print(f"heavy modules loaded before the first frame: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
