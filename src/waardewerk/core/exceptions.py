"""Domain errors raised by services and shown to users next to the field they concern."""

from django.core.exceptions import ValidationError


class ConcurrentEditError(ValidationError):
    """Someone else saved the same object after this form was opened."""


class PermissionDeniedError(Exception):
    """The actor may not perform this action. Views turn it into a 404 or 403."""
