#!/usr/bin/env python3
"""Execute one notebook cell by cell with nbclient (the engine behind `jupyter nbconvert --execute`) and report the
first failing cell precisely.

`jupyter nbconvert --execute` stops at a failing cell without writing the notebook, and the tslab kernel sends its error
text as a stderr stream rather than in the execute reply, so nbconvert's message would read "<Error>:" with no text.
Running the cells here keeps the partial notebook (outputs up to and including the failing cell) and lets us name the
cell and quote its error.

usage: jupyter-run-notebook.py IN.ipynb OUT.ipynb [--kernel tslab] [--timeout 1800] [--cwd DIR] [--profile quick]
Prints one JSON line on stdout: {"ok", "cells", "seconds", "skipped", and on failure "cell", "first_line", "error"};
"skipped" lists the lines cells printed starting with SKIP_PREFIX (panels left out because a real set is not here).
Exit status: 0 ok, 1 a cell failed, 2 the run itself failed (kernel did not start, bad notebook).
"""
import argparse
import json
import os
import re
import sys
import time

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as e:  # pragma: no cover - environment problem, reported to the caller
    print(json.dumps({"ok": False, "fatal": f"python cannot import nbclient/nbformat ({e}); "
                      "install Debian's python3-nbclient jupyter-nbconvert, or pip install nbclient nbformat"}))
    sys.exit(2)

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# lib/data/load.ts SKIP_PREFIX: the line optionalDataset prints for a panel it leaves out
SKIP_PREFIX = "skipped: "


def skip_lines(nb):
    """Every stdout line starting with SKIP_PREFIX, in cell order."""
    lines = []
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                lines += [l for l in out.get("text", "").splitlines() if l.startswith(SKIP_PREFIX)]
    return lines


def cell_error_text(cell, fallback):
    """The failing cell's error: error outputs first, else what the kernel wrote to stderr, else the exception."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            parts.append(f"{out.get('ename', 'Error')}: {out.get('evalue', '')}")
            tb = "\n".join(out.get("traceback", []))
            if tb:
                parts.append(tb)
    if not parts:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                parts.append(out.get("text", ""))
    text = ANSI.sub("", "\n".join(parts)).strip() or fallback
    return text[:4000]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    ap.add_argument("--cwd", default=None, help="working directory of the kernel (default: the notebook's folder)")
    ap.add_argument("--profile", default=None, help="run profile, recorded with the run's seconds in the executed copy")
    args = ap.parse_args()

    started = time.time()
    try:
        nb = nbformat.read(args.input, as_version=4)
    except Exception as e:
        print(json.dumps({"ok": False, "fatal": f"cannot read notebook {args.input}: {e}"}))
        return 2
    cwd = args.cwd or os.path.dirname(os.path.abspath(args.input))
    client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout, allow_errors=False,
                            resources={"metadata": {"path": cwd}})
    result = {"ok": True, "cells": len(nb.cells)}
    cell_seconds = []
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    t_cell = time.time()
                    client.execute_cell(cell, index, store_history=True)
                    cell_seconds.append([index, round(time.time() - t_cell, 1)])
                except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
                    source = cell.source.strip()
                    first = source.splitlines()[0] if source else ""
                    if isinstance(e, CellTimeoutError):
                        kind, error = "timeout", f"Timeout: the cell did not finish within {args.timeout} s (--timeout)"
                    elif isinstance(e, DeadKernelError):
                        kind, error = "kernel died", f"KernelDiedError: {e}".strip()
                    else:
                        kind, error = "error", None
                    lines = [l for l in str(e).strip().splitlines() if l.strip(" -")]
                    text = cell_error_text(cell, lines[-1] if lines else type(e).__name__)
                    result = {"ok": False, "cells": len(nb.cells), "cell": index, "first_line": first, "kind": kind,
                              "error": f"{error}\n{text}" if error and text != (lines[-1] if lines else type(e).__name__) else (error or text)}
                    break
    except Exception as e:  # kernel failed to start, etc.
        result = {"ok": False, "fatal": f"{type(e).__name__}: {e}"}
    result["seconds"] = round(time.time() - started, 2)
    result["skipped"] = skip_lines(nb)
    if result["ok"]:
        # the next run starts the longest notebooks first (lib/report/run-notebooks.ts, planRuns)
        # and says where a slow notebook spends its time: [cell index, seconds] of the cells over 5 s
        nb.metadata["raydino_run"] = {"profile": args.profile, "seconds": result["seconds"],
                                      "slow_cells": [c for c in cell_seconds if c[1] > 5]}
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    nbformat.write(nb, args.output)
    print(json.dumps(result))
    return 0 if result["ok"] else (1 if "cell" in result else 2)


if __name__ == "__main__":
    sys.exit(main())
