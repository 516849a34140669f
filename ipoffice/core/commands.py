"""Base for commands with sub-commands (``ipoffice regions import-population FILE``)."""

import json
from abc import ABCMeta, abstractmethod

from django.core.management.base import BaseCommand, CommandError

from .errors import DataError


class SubcommandCommand(BaseCommand, metaclass=ABCMeta):
    """Each sub-command is a method ``do_<name>`` (dashes as underscores) with its arguments added in
    ``add_subcommands``; a ``DataError`` becomes a clear one-line (or listed) error and exit status 1."""

    def add_arguments(self, parser):
        self.subparsers = parser.add_subparsers(dest="subcommand", required=True)
        self.add_subcommands(self.subparsers)

    @abstractmethod
    def add_subcommands(self, subparsers):
        """Add one parser per sub-command to ``subparsers``."""

    def handle(self, *args, subcommand, **options):
        method = getattr(self, "do_" + subcommand.replace("-", "_"))
        try:
            method(**options)
        except DataError as error:
            raise CommandError(str(error)) from error
        except FileNotFoundError as error:
            raise CommandError(f"{error.filename}: no such file") from error

    def emit(self, data, fmt: str = "json"):
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            for key, value in data.items() if isinstance(data, dict) else enumerate(data):
                self.stdout.write(f"{key}: {value}")
