"""``ipoffice navigation`` sub-commands of monitoring: check every watch list (what a daily timer runs)."""

from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone


class MonitoringCommands:
    def add_monitoring_commands(self, subparsers):
        """Add the sub-commands of this mixin."""
        parser = subparsers.add_parser("watch", help="check every watch list, raise its alerts and mail the digests")
        parser.add_argument("--until", help="check up to this day (YYYY-MM-DD; default today)")
        parser.add_argument("--no-mail", action="store_true", help="raise the alerts but send no e-mail")
        parser.add_argument("--lookback", type=int, default=None, metavar="DAYS",
                            help="how far the first check of a new watch list looks back (default 90 days)")

    def do_watch(self, until, no_mail, lookback, **_):
        from ipoffice.navigation.monitoring import LOOKBACK_DAYS, check_all

        try:
            day = date.fromisoformat(until) if until else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--until {until!r}: not a date (YYYY-MM-DD)") from error
        if lookback is not None and lookback < 0:
            raise CommandError("--lookback: give a number of days, 0 or more")
        results = check_all(day, mail=not no_mail, lookback_days=LOOKBACK_DAYS if lookback is None else lookback)
        total = 0
        for watch_list, alerts in results.items():
            total += len(alerts)
            self.stdout.write(f"{watch_list.name} ({watch_list.owner.get_username()}): {len(alerts)} new alerts")
            for alert in alerts:
                self.stdout.write(f"  {alert.date:%Y-%m-%d} {alert.kind:<12} {alert.message}")
        self.stdout.write(f"{len(results)} watch lists checked up to {day:%Y-%m-%d}, {total} new alerts")
