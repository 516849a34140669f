"""``ipoffice navigation`` sub-commands of filings."""


class FilingsCommands:
    def add_filings_commands(self, subparsers):
        """Add the sub-commands of this mixin."""
