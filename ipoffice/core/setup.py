"""Reference data that ``ipoffice setup`` loads, gathered from every module.

A module adds its own step by defining ``load_reference_data(stdout)`` in its ``reference.py``; steps run
in INSTALLED_APPS order, each idempotent.
"""

from importlib import import_module

from django.apps import apps


def reference_steps():
    for config in apps.get_app_configs():
        if not config.name.startswith("ipoffice."):
            continue
        try:
            module = import_module(f"{config.name}.reference")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.reference":
                raise
            continue
        yield config.label, module.load_reference_data
