from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ipoffice.core.errors import DataError
from ipoffice.core.setup import reference_steps


class Command(BaseCommand):
    help = "Migrate the database, then load every module's reference data (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        for label, step in reference_steps():
            try:
                step(lambda line, label=label: self.stdout.write(f"  [{label}] {line}"))
            except DataError as error:
                raise CommandError(f"[{label}] {error}") from error
        self.stdout.write(self.style.SUCCESS("reference data loaded"))
