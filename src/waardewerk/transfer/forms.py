from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import UtrechtFormMixin
from waardewerk.transfer.importing import MAX_BYTES
from waardewerk.transfer.models import ImportKind


class ImportUploadForm(UtrechtFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx)"),
        help_text=_("At most 5 MB. The columns are explained in the manual (docs/import.md)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB. Split it into smaller files."))
        return upload


class ImportConfirmForm(UtrechtFormMixin, forms.Form):
    partial = forms.BooleanField(
        label=_("Import the rows without problems and skip the others"),
        required=False,
    )
