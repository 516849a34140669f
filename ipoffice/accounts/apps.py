from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, the platform's roles (groups and permissions), login pages."""

    name = "ipoffice.accounts"
    label = "accounts"
    verbose_name = "用户与角色 Users and roles"
