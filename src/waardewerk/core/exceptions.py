"""Domain errors raised by services and shown to users next to the field they concern."""

from django.core.exceptions import PermissionDenied, ValidationError


class ConcurrentEditError(ValidationError):
    """Someone else saved the same object after this form was opened."""


class PermissionDeniedError(PermissionDenied):
    """The actor may not perform this action on an object they can see.

    It is Django's ``PermissionDenied``, so a view that does not catch it answers 403 with the message
    (``templates/403.html``). Objects outside the actor's scope never get this far: the view fetches them
    through a policy's queryset and answers 404 (``core.access.get_for_actor``). See docs/authorization.md,
    "Refusals".
    """

    def __init__(self, message: str = "", *args):
        super().__init__(message, *args)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
