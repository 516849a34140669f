"""Imports every parser module (``fmt_*.py`` in this package) so that each registers itself."""

import importlib
import pkgutil

from . import __path__ as _package_path

for _module in sorted(m.name for m in pkgutil.iter_modules(_package_path) if m.name.startswith("fmt_")):
    importlib.import_module(f"{__package__}.{_module}")
