"""Uploaded documents are checked by their content, not only by their name."""

import filetype
from django import forms
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

#: What the first bytes of a file must look like for each allowed extension.
CONTENT_TYPES = {
    "pdf": {"pdf"},
    "doc": {"doc"},
    "xls": {"xls", "doc"},  # old Office files share one container format
    "ppt": {"ppt", "doc"},
    "docx": {"docx", "zip"},
    "xlsx": {"xlsx", "zip"},
    "pptx": {"pptx", "zip"},
    "odt": {"odt", "zip"},
    "ods": {"ods", "zip"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
}
TEXT_EXTENSIONS = {"csv", "txt"}


def content_matches(name: str, head: bytes) -> bool:
    """Whether the file's content is of the kind its extension claims."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in TEXT_EXTENSIONS:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            try:
                head.decode("cp932")  # Shift_JIS from Japanese Excel
            except UnicodeDecodeError:
                return False
        return b"\x00" not in head
    kind = filetype.guess(head)
    return kind is not None and kind.extension in CONTENT_TYPES.get(extension, set())


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            position = upload.tell()
            head = upload.read(8192)
            upload.seek(position)
            if not content_matches(upload.name, head):
                raise forms.ValidationError(
                    _(
                        "The file's content does not match its name (%(name)s). "
                        "Please upload the original file."
                    )
                    % {"name": upload.name}
                )
        return upload
