"""What each role may do with navigation projects, watch lists and filing signals (merged by accounts.roles)."""

_PROJECTS = ["navigation.view_project", "navigation.add_project", "navigation.change_project",
             "navigation.manage_projects", "navigation.view_snapshot", "navigation.add_snapshot",
             "navigation.view_judgement", "navigation.change_judgement", "navigation.view_finding",
             "navigation.add_finding", "navigation.change_finding"]

# Watch lists (专利预警): each user keeps and sees only their own.
_WATCH = ["navigation.view_watchlist", "navigation.add_watchlist", "navigation.change_watchlist",
          "navigation.delete_watchlist", "navigation.view_alert", "navigation.change_alert"]

ROLE_PERMISSIONS = {
    "analyst": _PROJECTS + _WATCH,
    "officer": ["navigation.view_project", "navigation.view_snapshot", "navigation.view_signal",
                "navigation.change_signal", "navigation.review_signals"],
    "enterprise": _WATCH,
}
