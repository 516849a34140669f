"""What each role may do with navigation projects, watch lists and filing signals (merged by accounts.roles)."""

_PROJECTS = ["navigation.view_project", "navigation.add_project", "navigation.change_project",
             "navigation.manage_projects", "navigation.view_snapshot", "navigation.add_snapshot",
             "navigation.view_judgement", "navigation.change_judgement", "navigation.view_finding",
             "navigation.add_finding", "navigation.change_finding"]

ROLE_PERMISSIONS = {
    "analyst": _PROJECTS,
    "officer": ["navigation.view_project", "navigation.view_snapshot", "navigation.view_signal",
                "navigation.change_signal", "navigation.review_signals"],
}
