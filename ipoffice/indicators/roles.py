"""What each role may do with plans, indicators and observations (merged by accounts.roles)."""

_READ = ["indicators.view_plan", "indicators.view_indicator", "indicators.view_target", "indicators.view_observation"]

ROLE_PERMISSIONS = {
    "officer": _READ,
    "analyst": _READ + ["indicators.add_observation", "indicators.change_observation", "indicators.change_target",
                        "indicators.publish_report"],
}
