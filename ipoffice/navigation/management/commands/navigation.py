"""``ipoffice navigation …``: projects and reports, watch lists, filing tracking and signals."""

from ipoffice.core.commands import SubcommandCommand
from ipoffice.navigation.cli.filings import FilingsCommands
from ipoffice.navigation.cli.monitoring import MonitoringCommands
from ipoffice.navigation.cli.projects import ProjectsCommands


class Command(ProjectsCommands, MonitoringCommands, FilingsCommands, SubcommandCommand):
    help = "Patent navigation: run projects and reports, check watch lists, track filings and signals."

    def add_subcommands(self, subparsers):
        self.add_projects_commands(subparsers)
        self.add_monitoring_commands(subparsers)
        self.add_filings_commands(subparsers)
