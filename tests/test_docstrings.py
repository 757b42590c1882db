"""Every public function and class of multipolar says what it is: a test walks every module of the
package and names the public functions and classes defined there (not imported) without a docstring.
Public methods of those classes are held to the same rule (an override may rest on the docstring of
the method it overrides)."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import multipolar


def _modules():
    yield "multipolar"
    for m in pkgutil.walk_packages(multipolar.__path__, prefix="multipolar."):
        if not m.name.endswith(".__main__"):            # `python -m multipolar.cli`: importing it runs the command line
            yield m.name


def _undocumented(module) -> list[str]:
    out = []
    for name, obj in vars(module).items():
        if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", None) != module.__name__:          # imported, documented where it is defined
            continue
        if not inspect.getdoc(obj) or (inspect.isclass(obj) and obj.__doc__ is None):
            out.append(f"{module.__name__}.{name}")
        if inspect.isclass(obj):
            for mname, m in vars(obj).items():
                if mname.startswith("_") or not inspect.isfunction(m):
                    continue
                if not inspect.getdoc(getattr(obj, mname)):         # an override may rest on its base's docstring
                    out.append(f"{module.__name__}.{name}.{mname}")
    return out


def test_every_public_function_and_class_has_a_docstring():
    missing = []
    for name in _modules():
        missing += _undocumented(importlib.import_module(name))
    assert not missing, f"{len(missing)} public functions, classes or methods without a docstring:\n" + "\n".join(missing)
