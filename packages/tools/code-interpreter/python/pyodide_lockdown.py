"""Closes Pyodide's bridge from Python to JavaScript, once the runtime has booted.

This is the outer, Python-side layer. CPython has no in-process security
boundary (audit hooks are documented as not being a sandbox), so a determined
attacker may find a way around it; the boundary that must hold is the worker's
JavaScript lockdown (no host capability is reachable from any JavaScript
object). This layer gives clear errors for every ordinary route and raises the
cost of the others:

- the bridge modules (js, pyodide_js, pyodide.*, _pyodide*, _pyodide_core) are
  dropped from sys.modules and can no longer be imported, whatever the route
  (import, __import__, importlib): an audit hook, which Python code cannot
  remove, refuses the import event, and a meta-path finder refuses them too;
- ctypes and the C-API test modules (raw memory and function pointers) cannot
  be imported;
- process and socket creation fail with a clear PermissionError;
- heap walking (gc.get_objects, get_referrers, get_referents), which would find
  the JavaScript proxies Pyodide itself still holds, is refused;
- no new built-in or extension module can be created: every safe built-in
  module is imported now, then `_imp.create_builtin` and friends are removed,
  so `_pyodide_core` cannot be re-created by calling the import machinery
  directly;
- the JavaScript proxies and `_pyodide_core` functions that Pyodide's own
  modules keep (in module globals, class attributes, closures, defaults and
  the running event loop) are scrubbed, so walking `__globals__` finds none.
  Pyodide's asyncio integration (WebLoop) stops working as a consequence.
"""

import sys


BLOCKED_ROOTS = (
    "js",
    "pyodide_js",
    "pyodide",
    "_pyodide",
    "_pyodide_core",
    "micropip",
    "ctypes",
    "_ctypes",
    "_testcapi",
    "_testinternalcapi",
    "_testlimitedcapi",
    "_testbuffer",
    "_testclinic",
    "_testclinic_limited",
    "_testmultiphase",
    "_testsinglephase",
    "_xxtestfuzz",
    "_remote_debugging",
)


def preimport():
    """Imports, ahead of the memory image, every safe built-in module and what the runner uses.

    Workers restored from the image then skip these imports, the larger part of a
    boot's setup (zoneinfo, elementtree and decimal alone take hundreds of
    milliseconds); `install()` still imports whatever is missing. Nothing here
    runs user code or keeps agentd's own objects: only the standard library.
    """
    for name in sys.builtin_module_names:
        if name.partition(".")[0] not in BLOCKED_ROOTS and not name.startswith("_test") and name not in sys.modules:
            try:
                __import__(name)
            except Exception:
                pass
    import ast, json, linecache, traceback, types  # noqa: E401, F401  (the runner's imports)


def install():
    blocked_roots = BLOCKED_ROOTS
    bridge_roots = ("js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core")
    process_events = (
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "os.forkpty",
        "subprocess.Popen",
        "pty.spawn",
    )
    socket_events = ("socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo")
    heap_events = ("gc.get_objects", "gc.get_referrers", "gc.get_referents")

    def reason(name, _str=str, _bridge=bridge_roots):
        root = _str.partition(_str(name), ".")[0]
        if root in _bridge:
            return (
                f"module '{name}' is disabled in this sandbox: "
                "Python cannot reach JavaScript or the host from here"
            )
        if root == "micropip":
            return "installing packages is disabled in this sandbox: only the standard library is available"
        return f"module '{name}' is disabled in this sandbox"

    def is_blocked(name, _str=str, _blocked=blocked_roots):
        return _str.partition(_str(name), ".")[0] in _blocked

    class RefuseBridgeModules:
        """Meta-path finder: a clear ImportError for the disabled modules."""

        @staticmethod
        def find_spec(name, path=None, target=None):
            if is_blocked(name):
                raise ImportError(reason(name), name=name)
            return None

    finder = RefuseBridgeModules()

    def audit(
        event,
        args,
        _is_blocked=is_blocked,
        _reason=reason,
        _process=process_events,
        _socket=socket_events,
        _heap=heap_events,
        _protected=None,
    ):
        if event == "import":
            if _is_blocked(args[0]):
                raise ImportError(_reason(args[0]), name=args[0])
        elif event in _process:
            raise PermissionError("starting processes is disabled in this sandbox")
        elif event in _socket:
            raise PermissionError("network access is disabled in this sandbox")
        elif event in _heap:
            raise PermissionError(f"{event}() is disabled in this sandbox")
        elif event.startswith("ctypes."):
            raise PermissionError("ctypes is disabled in this sandbox")
        elif event == "object.__setattr__" and _protected is not None and args[0] in _protected:
            raise PermissionError("the sandbox's own functions cannot be modified")

    protected = (audit, reason, is_blocked, RefuseBridgeModules.find_spec)
    audit.__defaults__ = audit.__defaults__[:-1] + (protected,)

    import _imp
    import types

    core = sys.modules.get("_pyodide_core")
    for name in sys.builtin_module_names:
        if not is_blocked(name) and not name.startswith("_test") and name not in sys.modules:
            try:
                __import__(name)
            except Exception:
                pass
    for name in ("create_builtin", "create_dynamic", "exec_builtin", "exec_dynamic"):
        if hasattr(_imp, name):
            delattr(_imp, name)

    # Pyodide wraps time.sleep and asyncio.run with its JavaScript event loop; put the plain ones back.
    webloop = sys.modules.get("pyodide.webloop")
    if webloop is not None:
        import asyncio
        import time

        time.sleep = getattr(webloop, "_orig_sleep", time.sleep)

        def run(main, *args, **kwargs):
            if hasattr(main, "close"):
                main.close()
            raise RuntimeError(
                "asyncio.run() is not available in the Pyodide sandbox; use the 'cpython' runtime for asyncio code"
            )

        asyncio.run = run

    bridge_modules = {id(module) for name, module in sys.modules.items() if is_blocked(name)}

    def is_bridge(value):
        if id(value) in bridge_modules:
            return True
        kind = type(value)
        if "JsProxy" in kind.__name__ or "JsDoubleProxy" in kind.__name__:
            return True
        return core is not None and getattr(value, "__self__", None) is core

    def scrub_function(function):
        if function.__defaults__ and any(is_bridge(v) for v in function.__defaults__):
            function.__defaults__ = tuple(None if is_bridge(v) else v for v in function.__defaults__)
        for cell in function.__closure__ or ():
            try:
                if is_bridge(cell.cell_contents):
                    cell.cell_contents = None
            except ValueError:
                pass

    def scrub_namespace(namespace, owner=None):
        for key, value in list(namespace.items()):
            if is_bridge(value):
                if owner is None:
                    del namespace[key]
                else:
                    try:
                        delattr(owner, key)
                    except (AttributeError, TypeError):
                        pass
            elif isinstance(value, types.FunctionType):
                scrub_function(value)
            elif isinstance(value, (staticmethod, classmethod)) and isinstance(value.__func__, types.FunctionType):
                scrub_function(value.__func__)
            elif isinstance(value, dict) and owner is None and key != "__builtins__":
                for inner_key, inner in list(value.items()):
                    if is_bridge(inner):
                        del value[inner_key]

    # Scrub what every module keeps: its globals, its classes' attributes, its functions.
    for name, module in list(sys.modules.items()):
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict) or module is sys.modules.get("__main__"):
            continue
        scrub_namespace(namespace)
        if is_blocked(name) or name.startswith("asyncio"):
            for value in list(namespace.values()):
                if isinstance(value, type):
                    scrub_namespace(dict(value.__dict__), owner=value)
    try:
        import asyncio.events

        loop = asyncio.events._get_running_loop()
        if loop is not None:
            scrub_namespace(loop.__dict__)
    except Exception:
        pass

    # Drop the bridge modules, and the references Pyodide's own import hook keeps to them.
    for name in list(sys.modules):
        if is_blocked(name):
            del sys.modules[name]
    for importer in list(sys.meta_path):
        if type(importer).__name__ == "JsFinder":
            jsproxies = getattr(importer, "jsproxies", None)
            if isinstance(jsproxies, dict):
                jsproxies.clear()
            sys.meta_path.remove(importer)
    sys.meta_path.insert(0, finder)
    sys.addaudithook(audit)
