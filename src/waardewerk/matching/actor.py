"""The employer as the one who acts, through its one-time link (``EmployerLink``): no account, no user. The
access log records its views and answers with the role ``employer_link`` on behalf of the employer and the
link (``audit.services``), and the client sees them in the portal's "who looked" list."""

from __future__ import annotations

from dataclasses import dataclass

ROLE = "employer_link"


@dataclass(frozen=True)
class EmployerLinkActor:
    link: object  # waardewerk.matching.models.EmployerLink, with its job and employer

    is_authenticated = False
    is_active = True
    is_link_actor = True
    role = ROLE

    @property
    def audit_label(self) -> str:
        return f"{self.link.job.employer.name[:150]} (link {str(self.link.uuid)[:8]})"

    def __str__(self) -> str:
        return self.link.job.employer.name
