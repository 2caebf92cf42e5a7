"""The papers a public buyer asks for: publiccode.yml against the mandatory keys of the standard (version 0.4,
https://yml.publiccode.tools/schema.core.html; no validator of the standard is published for Python, so the
rules are checked here), SECURITY.md, CONTRIBUTING.md, CHANGELOG.md and the README's standards section."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# The controlled vocabularies of the standard (categories-list, the enumerations in schema.core).
CATEGORIES = set(
    """accounting agile-project-management applicant-tracking application-development appointment-scheduling
    backup billing-and-invoicing blog budgeting business-intelligence business-process-management cad
    call-center-management cloud-management collaboration communications compliance-management
    contact-management content-management crm customer-service-and-support data-analytics data-collection
    data-visualization design design-system digital-asset-management digital-citizenship document-management
    donor-management e-commerce e-signature educational-content email-management email-marketing
    employee-management enterprise-project-management enterprise-social-networking erp event-management
    facility-management feedback-and-reviews-management financial-reporting fleet-management fundraising
    gamification geographic-information-systems grant-management graphic-design help-desk hr ide
    identity-management instant-messaging inventory-management it-asset-management it-development
    it-management it-security it-service-management knowledge-management learning-management-system marketing
    mind-mapping mobile-marketing mobile-payment network-management office online-booking online-community
    payment-gateway payroll predictive-analysis procurement productivity-suite project-collaboration
    project-management property-management real-estate-management remote-support resource-management
    sales-management seo service-desk social-media-management survey talent-management task-management
    taxes-management test-management time-management time-tracking translation video-conferencing
    video-editing visitor-management voip warehouse-management web-collaboration web-conferencing
    website-builder whistleblowing workflow-management""".split()
)
DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}


def publiccode() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def test_publiccode_has_the_mandatory_keys_with_allowed_values():
    data = publiccode()
    for key in (
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ):
        assert key in data, key
    assert data["publiccodeYmlVersion"] == "0.4"
    assert re.fullmatch(r"https://\S+", data["url"])
    assert data["platforms"]
    assert data["categories"] and set(data["categories"]) <= CATEGORIES
    assert data["developmentStatus"] in DEVELOPMENT_STATUS
    assert data["softwareType"] in SOFTWARE_TYPES
    assert data["legal"]["license"] == "EUPL-1.2"
    maintenance = data["maintenance"]
    assert maintenance["type"] in MAINTENANCE_TYPES
    if maintenance["type"] in {"internal", "community"}:
        assert maintenance["contacts"] and all(contact["name"] for contact in maintenance["contacts"])
    assert isinstance(data["localisation"]["localisationReady"], bool)
    assert data["localisation"]["availableLanguages"]
    for country in data.get("intendedAudience", {}).get("countries", []):
        assert re.fullmatch(r"[a-z]{2}", country)


def test_publiccode_descriptions_follow_the_length_rules():
    description = publiccode()["description"]
    assert description, "at least one language"
    for language, text in description.items():
        assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", language)
        assert 0 < len(text["shortDescription"]) <= 150, language
        assert 150 <= len(text["longDescription"]) <= 10000, language
        assert text["features"], language
    assert set(publiccode()["localisation"]["availableLanguages"]) == set(description)


def test_publiccode_release_matches_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = re.search(r'^version = "([^"]+)"', pyproject, re.MULTILINE).group(1)
    assert publiccode()["softwareVersion"] == version
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", publiccode()["releaseDate"])


def test_changelog_follows_keep_a_changelog():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "## [Unreleased]" in text
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", text, re.MULTILINE)
    assert versions
    headings = set(re.findall(r"^### (.+)$", text, re.MULTILINE))
    assert headings <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security", "Known gaps"}
    for version, _ in versions:
        assert f"[{version}]: " in text


def test_security_policy_says_how_to_report_and_what_is_supported():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    for heading in ("## Reporting a vulnerability", "## Supported versions", "coordinated disclosure"):
        assert heading in text


def test_readme_keeps_its_commands_first_and_names_the_standards():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.splitlines()[3].startswith("make run ")
    standards = text.split("## Standards followed", 1)[1].split("\n## ", 1)[0]
    for name in ("AVG", "WCAG 2.1 AA", "NL Design System", "NL API Design Rules", "publiccode.yml"):
        assert name in standards
    assert (ROOT / "CONTRIBUTING.md").is_file()
