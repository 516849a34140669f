from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ipoffice.accounts.models import Representative
from ipoffice.accounts.roles import ADMINISTRATOR, ANALYST, ENTERPRISE, OFFICER, ROLES, assign_role
from ipoffice.entities.demo import generate_entities
from ipoffice.entities.models import Entity
from ipoffice.navigation.demo import load_demo as load_navigation_demo
from ipoffice.patents import generator
from ipoffice.patents.importing import import_file
from ipoffice.patents.models import Patent
from ipoffice.trademarks.demo import generate_demo_marks

# One demo account per role; the passwords are printed, the accounts exist only in the demo database.
DEMO_ACCOUNTS = [
    ("enterprise", ENTERPRISE), ("officer", OFFICER), ("analyst", ANALYST), ("admin", ADMINISTRATOR),
]


class Command(BaseCommand):
    help = "Set up the database, load reference and generated demo data, create demo accounts, serve the site."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", help="optional host:port, as runserver takes it")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--entities", type=int, default=800, help="generated entities (first run only)")
        parser.add_argument("--patents", type=int, default=3000, help="generated CN patents (first run only)")
        parser.add_argument("--marks", type=int, default=2000, help="generated trademarks (first run only)")
        parser.add_argument("--no-serve", action="store_true", help="prepare the data, do not start the server")

    def handle(self, *args, **options):
        call_command("setup", stdout=self.stdout)
        if not Entity.objects.filter(is_generated=True).exists():
            count = generate_entities(options["entities"])
            self.stdout.write(f"generated demo entities: {count} (marked as generated)")
        else:
            self.stdout.write("demo entities already present: reusing them")
        self._patents(options["patents"])
        marks = generate_demo_marks(options["marks"])
        self.stdout.write(f"generated demo trademarks: {marks}" if marks else "demo trademarks already present")
        self._accounts()
        load_navigation_demo(self.stdout.write)
        if options["no_serve"]:
            return
        host, port = options["host"], options["port"]
        if options["addrport"]:
            host, _, port = options["addrport"].rpartition(":")
            host = host or "127.0.0.1"
        if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append(host.strip("[]") if host != "0.0.0.0" else "*")
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        self.stdout.write(self.style.SUCCESS(f"ipoffice is running at http://{shown}:{port}/  (Ctrl-C to stop)"))
        self.stdout.flush()
        call_command("runserver", f"{host}:{port}", use_reloader=False)

    def _patents(self, count: int) -> None:
        """Generated CN patents written in the 60-column export layout, then imported like any file."""
        if Patent.objects.filter(is_generated=True).exists():
            self.stdout.write("demo patents already present: reusing them")
            return
        folder = Path(settings.DATA_DIR) / "generated-patents"
        summary = generator.generate(folder, count, formats=("csv",))
        for path in summary.paths.get("csv", []):
            manifest = import_file(path)
            self.stdout.write(f"generated demo patents: {manifest.created} imported from {path} "
                              f"({manifest.status}{': ' + manifest.error if manifest.error else ''})")

    def _accounts(self):
        users = get_user_model()
        self.stdout.write("demo accounts (username / password / role):")
        for username, role in DEMO_ACCOUNTS:
            password = f"ipoffice-{username}"
            user, created = users.objects.get_or_create(username=username)
            if created:
                user.set_password(password)
                user.save()
            assign_role(user, role)
            if role == ADMINISTRATOR and not user.is_superuser:
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
            if role == ENTERPRISE and not user.representations.exists():
                entity = Entity.objects.filter(is_generated=True, kind=Entity.Kind.ENTERPRISE).order_by("pk").first()
                if entity:
                    Representative.objects.create(user=user, entity=entity)
            self.stdout.write(f"  {username:<11} {password:<20} {ROLES[role]}")
