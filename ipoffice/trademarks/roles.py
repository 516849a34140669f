"""What each role may do with the trademark register (merged into ``ipoffice.accounts.roles``)."""

from ipoffice.accounts.roles import ANALYST, OFFICER

ROLE_PERMISSIONS = {
    OFFICER: [
        "trademarks.view_trademark", "trademarks.add_trademark", "trademarks.change_trademark",
        "trademarks.view_trademarkparty", "trademarks.view_trademarkgoods", "trademarks.view_trademarkevent",
        "trademarks.view_watch", "trademarks.add_watch", "trademarks.change_watch", "trademarks.delete_watch",
        "trademarks.view_watchalert", "trademarks.change_watchalert", "trademarks.view_importmanifest",
        "trademarks.view_classificationedition", "trademarks.view_goodsitem", "trademarks.view_similargroup",
    ],
    ANALYST: [
        "trademarks.view_trademark", "trademarks.view_importmanifest", "trademarks.view_classificationedition",
        "trademarks.view_goodsitem", "trademarks.view_similargroup",
    ],
}
