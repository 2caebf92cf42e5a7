"""Keys that are published in this repository and therefore protect nothing.

The development secret key (used only with ``WAARDEWERK_DEBUG=1``) and the fixed keys of the test settings
are public. The settings refuse the development key outside debug mode, and ``waardewerk check --deploy``
reports any of them (``waardewerk.core.checks``).
"""

DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"  # noqa: S105
TEST_SECRET_KEY = "test-only-secret-key-published-in-the-repository-0123456789-abcdef"  # noqa: S105
TEST_FIELD_KEY = "3z-Jq1ED0j-P72ovpqU-h48niYx0cYSk3L-XUsHQW6k="
TEST_AUDIT_KEY = "test-only-audit-key-published-in-the-repository-0123456789"

SECRET_KEYS = frozenset({DEV_SECRET_KEY, TEST_SECRET_KEY})
FIELD_KEYS = frozenset({TEST_FIELD_KEY})
AUDIT_KEYS = frozenset({TEST_AUDIT_KEY})
