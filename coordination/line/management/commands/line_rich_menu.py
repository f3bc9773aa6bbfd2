"""Set up the LINE account's rich menu through the Messaging API (once after configuring LINE, and
after changing the menu): `manage.py line_rich_menu`."""

from django.core.management.base import BaseCommand, CommandError

from coordination.line import client
from coordination.line.richmenu import rich_menu_setup


class Command(BaseCommand):
    help = "Create the rich menu, upload its image and make it every follower's default."

    def handle(self, *args, **options):
        if not client.is_configured():
            raise CommandError(
                "LINE is not configured: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN."
            )
        try:
            menu_id = rich_menu_setup()
        except client.LineError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Rich menu {menu_id} is the default for every follower.")
