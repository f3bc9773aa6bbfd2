from areas.models import AreaPage


def site_navigation(request):
    """The area list in the header: public, published areas in their tree order."""
    return {
        "nav_areas": AreaPage.objects.live().public().order_by("path").only("title", "url_path"),
    }
