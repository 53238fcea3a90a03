"""The site takes no file uploads except the intake form's one text file (issue 18). This handler runs first for
every multipart request: a file sent anywhere else is refused with 400 (as before), and the intake file is read
only up to 1 MB (a larger one is dropped and the form says so)."""
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.urls import Resolver404, resolve

from .files import MAX_BYTES

UPLOAD_VIEWS = {"intake:new"}


class IntakeOnlyUploadHandler(FileUploadHandler):
    def new_file(self, field_name, file_name, *args, **kwargs):
        try:
            view_name = resolve(self.request.path_info).view_name
        except Resolver404:
            view_name = None
        if view_name not in UPLOAD_VIEWS or field_name != "file":
            raise TooManyFilesSent("This page takes no file.")
        self.received = 0
        super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_BYTES:
            self.request.intake_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
