"""API of navigation projects."""


def register(router):
    """Add this module's viewsets to the router."""
