"""The navigation models, one module per concern: projects (and their snapshots), monitoring, filing signals."""

from .filings import Signal
from .monitoring import Alert, WatchList
from .projects import (
           ApplicantCounting,
           CountUnit,
           DateBasis,
           DecompositionNode,
           Effect,
           Finding,
           Judgement,
           NodeTag,
           Project,
           ProjectType,
           SearchQuery,
           Snapshot,
)

__all__ = ["Alert", "ApplicantCounting", "CountUnit", "DateBasis", "DecompositionNode", "Effect", "Finding",
           "Judgement", "NodeTag", "Project", "ProjectType", "SearchQuery", "Signal", "Snapshot", "WatchList"]
