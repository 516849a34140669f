"""API of navigation filings."""


def register(router):
    """Add this module's viewsets to the router."""
