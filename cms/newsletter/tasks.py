"""Thin Celery tasks of the newsletter."""

from celery import shared_task

from cms.newsletter import services


@shared_task
def send_issue(issue_id: int) -> int:
    """The e-mail edition of a published issue, to each matching subscriber once."""
    return services.issue_send(issue_id=issue_id)


@shared_task
def sweep_unsent() -> int:
    """Queue again the e-mail edition of each recent issue that has not reached everyone."""
    found = services.issues_unsent()
    for issue_id in found:
        send_issue.delay(issue_id)
    return len(found)
