"""API of navigation monitoring."""


def register(router):
    """Add this module's viewsets to the router."""
