"""Demo content for `make run`: safe to load any number of times."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from areas.services import sync_areas
from cms.models import ContentPage, User
from cms.services import ensure_site


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    description: str
    is_superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin@tsunagu.example", "tsunagu-demo-admin", "network admin", is_superuser=True),
    DemoAccount("partner@tsunagu.example", "tsunagu-demo-partner", "partner member"),
]

ABOUT_PAGE = {
    "title": "つなぐについて",
    "slug": "about",
    "summary": (
        "つなぐは、旭区の13エリアで子育てを支える団体が、会議の記録や催し、"
        "ボランティアの募集を共有するための場所です。"
    ),
}


@transaction.atomic
def load_demo_data(*, with_accounts: bool) -> str:
    """Create what is missing of the demo site and return a one-line summary."""
    home, index = ensure_site()
    counts = sync_areas(index_page=index)
    if not ContentPage.objects.filter(slug=ABOUT_PAGE["slug"]).exists():
        about = ContentPage(**ABOUT_PAGE)
        home.add_child(instance=about)
        about.save_revision().publish()
    accounts_created = 0
    if with_accounts:
        for account in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=account.email,
                defaults={"is_staff": account.is_superuser, "is_superuser": account.is_superuser},
            )
            if created:
                user.set_password(account.password)
                user.save()
                accounts_created += 1
            EmailAddress.objects.update_or_create(
                user=user, email=account.email, defaults={"verified": True, "primary": True}
            )
    return (
        f"Demo data: {counts['areas_created']} areas created, {counts['areas_updated']} updated, "
        f"{counts['partners_created']} partners created, {accounts_created} log-ins created."
    )
