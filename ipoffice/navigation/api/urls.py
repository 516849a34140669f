from . import filings, monitoring, projects


def register(router):
    for module in (projects, monitoring, filings):
        module.register(router)
