"""The ``ipoffice navigation`` sub-commands, one mixin per concern (projects, monitoring, filings)."""
