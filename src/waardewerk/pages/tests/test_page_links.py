"""``{% uuid_url %}`` gives what ``{% url %}`` gives, escaped or kept with ``as`` as it keeps it."""

import uuid

import pytest
from django.template import Context, Template

NAMES = [
    "trajectories:detail",
    "trajectories:plan",
    "clients:dossier",
    "instruments:effect",
    "instruments:edit",
]


@pytest.mark.parametrize("name", NAMES)
def test_uuid_url_as_url(name):
    context = {"obj": {"uuid": uuid.uuid4()}}
    for _ in range(2):  # the pattern reversed once, then reused
        expected = Template(f"{{% url '{name}' obj.uuid %}}|{{% url '{name}' obj.uuid as u %}}{{{{ u }}}}")
        written = Template(
            "{% load page_links %}"
            f"{{% uuid_url '{name}' obj.uuid %}}|{{% uuid_url '{name}' obj.uuid as u %}}{{{{ u }}}}"
        )
        assert written.render(Context(context)) == expected.render(Context(context))
