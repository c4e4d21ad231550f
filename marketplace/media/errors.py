"""What can go wrong with an upload: one error type per failure, each with its message (English source)."""

from __future__ import annotations

from marketplace.core.errors import DomainError
from marketplace.core.i18n import N_

MESSAGES = {
    "photo_too_large": N_("A photo can be at most 8 MB."),
    "document_too_large": N_("A document can be at most 10 MB."),
    "request_too_large": N_("Upload fewer files at once: this upload is too large."),
    "length_required": N_("Send the upload with a Content-Length header."),
    "not_an_image": N_("This file is not a JPEG, PNG or WebP image."),
    "not_a_pdf": N_("This file is not a PDF document."),
    "too_many_pixels": N_("This image has too many pixels. Use one of at most 40 megapixels."),
    "too_many_photos": N_("A listing can have at most 8 photos."),
    "too_many_documents": N_("A listing can have at most 4 documents."),
    "no_file": N_("Choose a file to upload."),
    "listing_closed": N_("A closed listing cannot be edited. Post a new one."),
}


class MediaRejected(DomainError):
    """An upload we refuse; `reason` (a key of MESSAGES) lets a page show the message where it belongs."""

    status_code = 422
    code = "invalid"

    def __init__(self, reason: str) -> None:
        message = MESSAGES[reason]
        super().__init__(message, fields={"file": message})
        self.reason = reason


class FileTooLarge(MediaRejected):
    status_code = 413
    code = "file_too_large"


class UnsupportedFile(MediaRejected):
    status_code = 415
    code = "unsupported_file"


class ImageTooLarge(MediaRejected):
    """More pixels than we decode (a decompression bomb, or simply a huge scan)."""

    code = "image_too_large"


class TooManyFiles(MediaRejected):
    status_code = 409
    code = "too_many_files"


class ListingClosed(MediaRejected):
    status_code = 409
    code = "invalid_transition"
