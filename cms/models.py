from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from areas.access import public_pages
from areas.models import AreaPage
from areas.sections import home_page_sections
from common.blocks import BodyBlock


class EmailUserManager(UserManager):
    """Users are known by their e-mail address; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        # Japanese order: family name first.
        return f"{self.last_name} {self.first_name}".strip()


class HomePage(Page):
    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["areas"] = public_pages(AreaPage.objects.live()).order_by("path")
        context["sections"] = home_page_sections(request=request)
        return context


class ContentPage(Page):
    """A plain page of text: about the network, how to take part, privacy policy."""

    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    note = RichTextField(_("note"), blank=True, features=["bold", "link", "ol", "ul"])

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("note"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("note"),
    ]

    class Meta:
        verbose_name = _("content page")


class SearchEntry(models.Model):
    """A live page as the site search reads it (cms.search_index writes it, cms.search reads it).

    The text is normalised by common.search, so the search is plain substring matching that gives
    the same pages on SQLite and PostgreSQL. Who may see an entry is its page's, asked at search time.
    """

    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        VOLUNTEERING = "volunteering", _("Volunteering")
        MEETING = "meeting", _("Meeting record")
        NOTICE = "notice", _("Notice")
        AREA = "area", _("Area")
        PAGE = "page", _("Page")

    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    #: The event's or meeting's date, the posting's deadline, else the day it was published.
    date = models.DateField(null=True)
    areas = models.ManyToManyField(AreaPage, related_name="+", blank=True)
    #: Normalised, with readings in hiragana: the title; the places, organisers, areas and town
    #: blocks; the rest of the text (weighted in that order).
    title = models.TextField()
    places = models.TextField(blank=True)
    body = models.TextField(blank=True)
    #: The text as written, for the result's extract.
    text = models.TextField(blank=True)

    def __str__(self):
        return self.text[:50]
