"""``ipoffice navigation`` sub-commands of monitoring."""


class MonitoringCommands:
    def add_monitoring_commands(self, subparsers):
        """Add the sub-commands of this mixin."""
