from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.org.demo import SIGN_INS, seed_org


class Command(BaseCommand):
    help = "Load the demo organisation (idempotent) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: seed_demo would write demo users into this database. Use --force."
            )
        with transaction.atomic():
            ctx = seed_org()
            # Every other local app may add its own demo data in apps/<app>/demo.py: seed(ctx).
            for config in apps.get_app_configs():
                if not config.name.startswith("apps.") or config.label == "org":
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({ctx.created} new records)."))
        self.stdout.write(
            f"Open {settings.SITE_URL}/ and sign in with password {settings.DEMO_PASSWORD!r} as:"
        )
        for username in SIGN_INS:
            user = ctx.users[username]
            roles = ", ".join(
                f"{m.store.name} {m.get_tier_display()}" for m in user.memberships.select_related("store")
            )
            self.stdout.write(f"  {username:<11} {user}  ({roles})")
        if settings.MFA_REQUIRED_TIERS:
            tiers = " and ".join(f"{t}s" for t in settings.MFA_REQUIRED_TIERS)
            self.stdout.write(
                f"Two-factor sign-in: {tiers} are asked to set it up with an authenticator app "
                "on their first sign-in (MFA_REQUIRED_TIERS)."
            )
