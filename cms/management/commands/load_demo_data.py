from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo import DEMO_ACCOUNTS, load_demo_data


class Command(BaseCommand):
    help = "Load the demo site: home page, the 13 areas, core partners, sample pages and log-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-accounts",
            action="store_true",
            help="Create the demo log-ins even when DEBUG is off (never on a public server).",
        )

    def handle(self, *args, **options):
        with_accounts = settings.DEBUG or options["with_demo_accounts"]
        if not settings.DEBUG and not options["with_demo_accounts"]:
            self.stdout.write("DEBUG is off: demo log-ins are not created.")
        try:
            summary = load_demo_data(with_accounts=with_accounts)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary))
        if with_accounts:
            self.stdout.write("")
            self.stdout.write(f"Site:   {settings.SITE_URL}/")
            self.stdout.write(f"Admin:  {settings.SITE_URL}/admin/")
            self.stdout.write("Demo log-ins (e-mail / password):")
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"  {account.email} / {account.password}  ({account.description})")
