"""Getting plain text out of what a partner pastes or uploads, with a clear message for every bad input.

Supported: .txt and .html (UTF-8, or UTF-16 with a byte-order mark), .pdf (text extracted by Debian's
poppler-utils `pdftotext`), .docx (the document's XML read from the zip, no extra library). Everything is
limited to 1 MB; a PDF without a text layer (a scan) is refused rather than guessed at.
"""
import html.parser
import io
import shutil
import subprocess
import tempfile
import zipfile
from xml.etree import ElementTree

from django.utils.translation import gettext as _

MAX_BYTES = 1024 * 1024
MAX_DOCX_XML = 10 * 1024 * 1024  # refuse zip bombs
TYPES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}


class InputError(ValueError):
    """A problem with the input, with the name of the form field it concerns."""

    def __init__(self, field, message):
        self.field = field
        super().__init__(message)


def _decode(raw, field):
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(field, _("This looks like a binary file, not text."))
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(field, _("The file is not UTF-8 text (wrong encoding). Save it as UTF-8 and try "
                                  "again.")) from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(10, len(text) // 100):
        raise InputError(field, _("This looks like a binary file, not text."))
    return text


class _HTMLText(html.parser.HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "header",
              "footer", "blockquote", "pre", "title"}
    SKIP = {"script", "style", "noscript", "template", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup):
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def pdf_to_text(raw, field):
    if not raw.startswith(b"%PDF-"):
        raise InputError(field, _("The file is not a valid PDF."))
    binary = shutil.which("pdftotext")
    if not binary:
        raise InputError(field, _("PDF files cannot be read on this server (pdftotext is not installed); paste "
                                  "the text instead."))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(raw)
        handle.flush()
        try:
            result = subprocess.run([binary, "-q", "-enc", "UTF-8", handle.name, "-"], capture_output=True,
                                    timeout=30, check=False)
        except subprocess.TimeoutExpired:
            raise InputError(field, _("The PDF took too long to read.")) from None
    if result.returncode != 0:
        raise InputError(field, _("The file is not a valid PDF."))
    text = result.stdout.decode("utf-8", errors="replace").replace("\f", "\n")
    if not text.strip():
        raise InputError(field, _("The PDF has no text layer (it is probably a scan): paste the text instead."))
    return text


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_to_text(raw, field):
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise InputError(field, _("The file is not a valid .docx document.")) from None
    if info.file_size > MAX_DOCX_XML:
        raise InputError(field, _("The document is too large once unpacked."))
    try:
        root = ElementTree.fromstring(archive.read(info))
    except (ElementTree.ParseError, zipfile.BadZipFile, RuntimeError):
        raise InputError(field, _("The file is not a valid .docx document.")) from None
    paragraphs = []
    for para in root.iter(f"{W}p"):
        parts = []
        for node in para.iter():
            if node.tag == f"{W}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{W}tab",):
                parts.append("\t")
            elif node.tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def text_from_upload(upload, field="file"):
    """The text of an uploaded file (a Django UploadedFile), or InputError."""
    name = (upload.name or "").lower()
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    kind = TYPES.get(suffix)
    if kind is None:
        raise InputError(field, _("Unsupported file type: upload a .txt, .html, .pdf or .docx file."))
    if upload.size > MAX_BYTES:
        raise InputError(field, _("The file is larger than 1 MB."))
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise InputError(field, _("The file is larger than 1 MB."))
    if not raw.strip():
        raise InputError(field, _("The file is empty."))
    if kind == "pdf":
        text = pdf_to_text(raw, field)
    elif kind == "docx":
        text = docx_to_text(raw, field)
    else:
        text = _decode(raw, field)
        if kind == "html":
            text = html_to_text(text)
    return clean_text(text, field)


def clean_text(text, field="text"):
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    text = text.strip()
    if not text:
        raise InputError(field, _("The text is empty."))
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(field, _("The text is larger than 1 MB."))
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\t\f")
    if "\x00" in text or controls > max(10, len(text) // 100):
        raise InputError(field, _("This looks like binary data, not text."))
    return text
