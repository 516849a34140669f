"""What each role may do with the patent registry (merged by accounts.roles)."""

_READ = ["patents.view_patent", "patents.view_party", "patents.view_legalevent", "patents.view_importmanifest"]

ROLE_PERMISSIONS = {
    "officer": _READ + ["patents.change_patent"],
    "analyst": _READ + ["patents.export_patents"],
}
