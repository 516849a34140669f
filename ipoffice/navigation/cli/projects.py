"""``ipoffice navigation`` sub-commands of projects."""


class ProjectsCommands:
    def add_projects_commands(self, subparsers):
        """Add the sub-commands of this mixin."""
