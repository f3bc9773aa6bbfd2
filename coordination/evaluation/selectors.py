"""What reads evaluation documents."""

from coordination.evaluation.models import EvaluationDocument


def published_documents():
    """The documents the public reads: published ones, their published version."""
    return EvaluationDocument.objects.filter(live=True).order_by("-fiscal_year")


def published_document(fiscal_year: int) -> EvaluationDocument | None:
    return (
        published_documents().prefetch_related("goals", "next_goals").filter(fiscal_year=fiscal_year).first()
    )


def latest_version(document: EvaluationDocument) -> EvaluationDocument:
    """The document as last saved, draft or published: what its writers and reviewers read."""
    if document.latest_revision_id:
        return document.get_latest_revision_as_object()
    return document


def all_documents():
    return EvaluationDocument.objects.select_related("latest_revision").order_by("-fiscal_year")
