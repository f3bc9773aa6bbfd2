"""Document downloads: Wagtail's own serve view (which checks who may read), never cached when private."""

from django.utils.cache import patch_cache_control
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve


def serve_document(request, document_id, document_filename):
    """A restricted document must not stay in a shared cache or a browser's disk cache."""
    response = serve(request, document_id, document_filename)
    document = get_document_model().objects.select_related("collection").filter(pk=document_id).first()
    if document is not None and document.collection.get_view_restrictions().exists():
        patch_cache_control(response, private=True, no_store=True)
    return response
