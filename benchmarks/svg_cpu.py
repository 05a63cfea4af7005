"""CPU of drawing a build's chart SVG copies (vl-convert), in fresh processes.

Run from the repository root (after ``make setup``), on the output folder of a full build::

    TARIFF_REPORTS_CACHE=off .venv/bin/tariff-reports build --jobs 2 --out /tmp/b
    .venv/bin/python benchmarks/svg_cpu.py /tmp/b [--repeat 3]

Reads every chart spec (the Vega-Lite outputs) of the build's executed notebooks and, in a new
Python for each way and each repetition (alternating), draws them all: ``machine``, vl-convert
as it is, its text measured with the machine's fonts and the one it embeds; ``embedded``, as the
build draws them (``charts.svg_of``: vl-convert's embedded font only). Prints the drawing's CPU
seconds (user and system, the engine's threads included, its start apart), minor page faults,
the milliseconds a chart, whether the two ways draw the same SVGs, and whether drawing holds
Python's GIL (how far a thread counting meanwhile gets, against its pace alone).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DRAW = r"""
import hashlib, json, resource, sys, threading, time
import vl_convert as vlc
from analysis.report.charts import svg_of, vegalite_version
specs = json.load(open(sys.argv[2]))
embedded = sys.argv[1] == "embedded"
draw = svg_of if embedded else (lambda s: vlc.vegalite_to_svg(s, vl_version=vegalite_version()))
draw({"mark": "point", "data": {"values": []}})  # the engine's start, apart
def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime, r.ru_minflt
u0, s0, f0 = usage()
drawn = [draw(s) for s in specs]
u1, s1, f1 = usage()
counted, stop = [0], []
def count():
    while not stop:
        counted[0] += 1
thread = threading.Thread(target=count)
thread.start()
time.sleep(0.3)
alone, t0 = counted[0], time.perf_counter()
time.sleep(0.3)
alone, during = (counted[0] - alone) / (time.perf_counter() - t0), counted[0]
t0 = time.perf_counter()
for s in specs[:10]:
    draw(s)
during = (counted[0] - during) / (time.perf_counter() - t0)
stop.append(1)
thread.join()
digest = hashlib.sha256("\0".join(drawn).encode()).hexdigest()[:16]
print(json.dumps({"user": u1 - u0, "system": s1 - s0, "faults": f1 - f0, "sha": digest,
                  "pace": during / alone}))
"""


def chart_specs(folder: Path) -> list[dict[str, object]]:
    """Every Vega-Lite chart spec in the executed notebooks of a build's output folder."""
    specs = []
    for path in sorted(folder.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                for mime, value in (output.get("data") or {}).items():
                    if mime.startswith("application/vnd.vegalite"):
                        specs.append(value)
    return specs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build", type=Path, help="a full build's output folder")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    specs = chart_specs(args.build)
    distinct = len({json.dumps(s, sort_keys=True) for s in specs})
    print(f"{len(specs)} chart specs ({distinct} distinct) in {args.build}")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "specs.json"
        path.write_text(json.dumps(specs), encoding="utf-8")
        for run in range(args.repeat):
            for way in ("machine", "embedded"):
                cmd = [sys.executable, "-c", DRAW, way, str(path)]
                done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
                r = json.loads(done.stdout.strip().splitlines()[-1])
                cpu = r["user"] + r["system"]
                print(
                    f"run {run + 1} {way:9s} CPU {cpu:5.2f} s (user {r['user']:5.2f}, "
                    f"system {r['system']:4.2f}), {1000 * cpu / len(specs):4.1f} ms a chart, "
                    f"{r['faults']:7d} minor faults, SVGs sha {r['sha']}, "
                    f"a Python thread's pace while drawing {r['pace']:.0%}"
                )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
