"""Runs one notebook cell, for both runtimes (Pyodide and sandboxed CPython).

Executes the statements, evaluates the last expression like a REPL does, and
describes an exception with a traceback trimmed to the user's own frames.
Output capture, files and figures are the caller's business.
"""

import ast
import linecache
import sys
import traceback
import types

_SANDBOX_DIR = __file__.rsplit("/", 1)[0] + "/"
_cells = 0
_KEPT_CELL_SOURCES = 200


def new_main_namespace():
    """A fresh __main__ module for the user's globals (so pickle finds classes defined in cells)."""
    module = types.ModuleType("__main__")
    sys.modules["__main__"] = module
    return module.__dict__


def run_cell(code, namespace, max_repr=10_000, max_frames=12):
    """Returns {'result': repr of the last value or None, 'error': {...} or None}."""
    global _cells
    _cells += 1
    filename = f"<cell {_cells}>"
    # Tracebacks of this cell, now or from a function it defines, show its lines.
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    stale = f"<cell {_cells - _KEPT_CELL_SOURCES}>"
    linecache.cache.pop(stale, None)
    try:
        tree = ast.parse(code, filename, "exec")
    except SyntaxError as error:
        return {"result": None, "error": _describe(error, max_frames, syntax=True)}
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    try:
        exec(compile(tree, filename, "exec"), namespace)
        value = None if last is None else eval(compile(last, filename, "eval"), namespace)
    except BaseException as error:  # SystemExit and KeyboardInterrupt too: the session lives on.
        return {"result": None, "error": _describe(error, max_frames)}
    if value is None:
        return {"result": None, "error": None}
    namespace["_"] = value
    try:
        text = repr(value)
    except BaseException as error:
        text = f"<repr() failed: {type(error).__name__}: {error}>"
    if len(text) > max_repr:
        text = text[:max_repr] + f"… [{len(text) - max_repr} characters truncated]"
    return {"result": text, "error": None}


def _describe(error, max_frames, syntax=False):
    if syntax:
        lines = traceback.format_exception_only(type(error), error)
    else:
        report = traceback.TracebackException(type(error), error, error.__traceback__, compact=True)
        _trim(report, max_frames)
        lines = list(report.format())
    try:
        message = str(error)
    except BaseException:
        message = "<str() failed>"
    return {"type": type(error).__name__, "message": message, "traceback": "".join(lines)}


def _trim(report, max_frames, seen=None):
    """Keeps the user's frames and what they called: the sandbox's own files are dropped."""
    seen = set() if seen is None else seen
    if report is None or id(report) in seen:
        return
    seen.add(id(report))
    frames = [frame for frame in report.stack if not frame.filename.startswith(_SANDBOX_DIR)]
    report.stack = traceback.StackSummary.from_list(frames[-max_frames:])
    _trim(report.__cause__, max_frames, seen)
    _trim(report.__context__, max_frames, seen)
