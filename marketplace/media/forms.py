"""Reading uploads from a multipart request, for the pages and the API alike."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData, UploadFile

from marketplace.media.errors import FileTooLarge, MediaRejected
from marketplace.media.processing import MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES
from marketplace.media.service import MAX_FILES, Upload

# The largest upload we accept in one request: a full set of photos, plus room for the form's other fields.
MAX_REQUEST_BYTES = max(MAX_FILES["photo"] * MAX_PHOTO_BYTES, MAX_FILES["document"] * MAX_DOCUMENT_BYTES) + (
    1024 * 1024
)


class LengthRequired(MediaRejected):
    status_code = 411
    code = "length_required"


def limit_upload_size(request: Request) -> None:
    """Refuse an oversized multipart request from its Content-Length, before its body is read.

    Must run before anything reads the form (put it ahead of check_csrf in the router's dependencies).
    """
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        # Without a length the body could be endless; browsers and HTTP libraries always send one.
        raise LengthRequired("length_required")
    if int(length) > MAX_REQUEST_BYTES:
        raise FileTooLarge("request_too_large")


def uploads_from(form: FormData, field: str = "files") -> list[Upload]:
    """The files of a form field; an empty file input (no file chosen) gives none."""
    uploads = []
    for value in form.getlist(field):
        if not isinstance(value, UploadFile):
            continue
        if not value.filename and not value.size:
            continue  # what a browser sends for a file input left empty
        uploads.append(Upload(filename=value.filename, stream=value.file))
    return uploads
