"""The published evaluation documents in the site's sitemap, beside its pages: each published
year's page (公表), and never a draft (a document never published is not listed; a published one
is listed with its published date, whatever draft waits)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from coordination.evaluation.selectors import published_documents


class EvaluationSitemap(Sitemap):
    def items(self):
        return list(published_documents())

    def location(self, item):
        return reverse("evaluation:detail", args=[item.fiscal_year])

    def lastmod(self, item):
        return item.last_published_at
