"""Background work of the API: delivering notifications (Django's tasks API; settings.TASKS)."""

from django.tasks import default_task_backend, task

from waardewerk.api import delivery as sending
from waardewerk.api.models import Delivery, DeliveryStatus


@task
def deliver(delivery_id: int) -> str:
    """Attempt one delivery; when it is to be tried again, queue the retry for its time (a backend that
    cannot defer, such as running in the request, leaves it to ``waardewerk notifications send``)."""
    found = Delivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if found is None:
        return "gone"
    done = sending.attempt(found)
    if done.status == DeliveryStatus.PENDING and default_task_backend.supports_defer:
        deliver.using(run_after=done.next_attempt_at).enqueue(done.pk)
    return done.status


@task
def send_due() -> int:
    """Attempt every delivery whose time has come; returns how many were attempted."""
    count = 0
    for found in sending.due():
        sending.attempt(found)
        count += 1
    return count
