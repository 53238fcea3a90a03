"""New update from a text (issue 18): paste or upload, review the suggestions with their evidence, accept through
the monitoring services; bad input is refused with a message naming the field and nothing is saved."""
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicspace.audit.models import AuditEvent
from civicspace.monitoring.models import Incident, Source, Update, Victim

pytestmark = pytest.mark.django_db

URL = "/en/workspace/intake/"
KGZ_TEXT = (Path(__file__).resolve().parents[2] / "civicspace" / "data" / "demo"
            / "civicus-watchlist-kyrgyzstan-2024-03-05.txt").read_text(encoding="utf-8").split("\n\n\n\n")[0]


def country_code(form):
    from civicspace.countries.models import Country

    return Country.objects.get(pk=form["country"].value()).code


def counts():
    return (Update.objects.count(), Incident.objects.count(), Source.objects.count(), Victim.objects.count())


def analyse(client, **data):
    return client.post(URL, {"step": "analyse", **data})


def review_data(response):
    """The review form's fields as the browser would post them (initial values = the suggestions)."""
    form = response.context["form"]
    data = {"step": "accept"}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    return data


def test_the_workspace_links_to_the_intake(client, people):
    client.force_login(people["partner"])
    assert 'href="/en/workspace/intake/"' in client.get("/en/workspace/").content.decode()


def test_pasted_text_gives_suggestions_with_evidence_and_saves_nothing(client, people):
    client.force_login(people["partner"])
    before = counts()
    response = analyse(client, text=KGZ_TEXT, source_url="https://www.civicus.org/index.php/media-resources/news")
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["form"]
    assert country_code(form) == "KGZ"
    assert str(form["date"].value()) == "2024-03-05"
    assert form["original_language"].value() == "en"
    assert form.incident_count >= 3
    # Every suggestion points at its sentence, highlighted in the text.
    assert html.count("<mark id=\"ev-") >= 4
    assert re.search(r'href="#ev-\d+">Evidence</a>', html)
    assert "11 journalists" in html
    assert counts() == before


def test_a_country_from_the_source_domain_is_pre_selected_and_says_so(client, people):
    client.force_login(people["editor"])
    text = "Police detained the photographer of LA GACETA for three hours at the Delfín Gallo station."
    response = analyse(client, text=text, source_url="https://www.lagaceta.com.ar/nota/1121184")
    assert response.status_code == 200
    assert country_code(response.context["form"]) == "ARG"
    assert "comes from the source address" in response.content.decode()
    # Without the address, nothing names a country and the page asks for one.
    response = analyse(client, text=text)
    assert "No country found in the text: choose it." in response.content.decode()
    assert "comes from the source address" not in response.content.decode()


def test_accepting_creates_a_draft_through_the_services(client, people):
    client.force_login(people["partner"])
    response = analyse(client, text=KGZ_TEXT, source_url="https://example.org/kgz-release")
    data = review_data(response)
    # One edit: the partner changes the title; one incident is rejected.
    data["title"] = "Kyrgyzstan placed on the Watchlist (edited)"
    data.pop("i1_keep", None)
    kept = sum(1 for k in data if re.fullmatch(r"i\d+_keep", k))
    before = counts()
    response = client.post(URL, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    update = Update.objects.get(title_en="Kyrgyzstan placed on the Watchlist (edited)")
    assert update.status == "draft" and update.country.code == "KGZ" and str(update.date) == "2024-03-05"
    assert update.created_by == people["partner"]
    source = update.sources.get()
    assert source.url == "https://example.org/kgz-release" and not source.confidential
    assert update.incidents.count() == kept == Incident.objects.count() - before[1]
    for incident in update.incidents.all():
        assert list(incident.sources.all()) == [source]
        assert incident.types.exists()
    assert any(v.count == 11 and v.type.code == "journalist" for v in Victim.objects.filter(incident__update=update))
    actions = set(AuditEvent.objects.filter(target_id=str(update.pk)).values_list("action", flat=True))
    assert {"monitoring.update_create", "monitoring.source_create", "intake.intake_accept"} <= actions
    assert update.history.count() >= 1


def test_a_country_the_partner_may_not_write_about_is_refused_and_nothing_saved(client, people):
    client.force_login(people["partner"])
    response = analyse(client, text=KGZ_TEXT)
    data = review_data(response)
    from civicspace.countries.models import Country

    data["country"] = Country.objects.get(code="RUS").pk
    before = counts()
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Country" in response.content.decode()
    assert counts() == before


def test_a_kept_incident_without_type_is_refused_naming_the_field(client, people):
    client.force_login(people["partner"])
    data = review_data(analyse(client, text=KGZ_TEXT))
    data["i0_types"] = []
    before = counts()
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Incident 1: violation or positive types" in response.content.decode()
    assert counts() == before


def _docx(text):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.split("\n"))
        archive.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                         f'wordprocessingml/2006/main"><w:body>{paragraphs}</w:body></w:document>')
    return buffer.getvalue()


def _pdf(text=None):
    """A one-page PDF, with a line of text or none (like a scan)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize("name, content", [
    ("release.txt", KGZ_TEXT.encode("utf-8")),
    ("release.html", ("<html><head><script>var x=1;</script></head><body><h1>Kyrgyzstan added to Watchlist</h1>"
                      "<p>" + KGZ_TEXT.replace("\n", "</p><p>") + "</p></body></html>").encode("utf-8")),
    ("release.docx", _docx(KGZ_TEXT)),
    ("release.pdf", _pdf("Police in Bishkek detained 11 journalists on 16 January 2024 in Kyrgyzstan.")),
])
def test_uploaded_files_are_read(client, people, name, content):
    client.force_login(people["partner"])
    response = analyse(client, file=SimpleUploadedFile(name, content))
    assert response.status_code == 200, response.content.decode()[:2000]
    assert country_code(response.context["form"]) == "KGZ"
    assert "var x" not in response.context["form"]["text"].value()


@pytest.mark.parametrize("data, field, message", [
    ({"text": "   "}, "Text", "The text is empty"),
    ({"file": SimpleUploadedFile("x.txt", b"")}, "upload a file", "empty"),
    ({"file": SimpleUploadedFile("x.txt", b"\x00\x01\x02binary\x00" * 50)}, "upload a file", "binary"),
    ({"file": SimpleUploadedFile("x.txt", "Пресс-релиз".encode("cp1251"))}, "upload a file", "wrong encoding"),
    ({"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")}, "upload a file", "Unsupported file type"),
    ({"file": SimpleUploadedFile("x.pdf", _pdf())}, "upload a file", "no text layer"),
    ({"file": SimpleUploadedFile("x.pdf", b"not a pdf at all")}, "upload a file", "not a valid PDF"),
    ({"file": SimpleUploadedFile("x.docx", b"PK\x03\x04broken")}, "upload a file", "not a valid .docx"),
    ({"file": SimpleUploadedFile("x.txt", b"a" * (1024 * 1024 + 10))}, "upload a file", "larger than 1 MB"),
    ({"text": "x", "source_url": "not a url"}, "Source URL", "Enter a valid URL"),
])
def test_bad_input_is_refused_with_a_message_naming_the_field(client, people, data, field, message):
    client.force_login(people["partner"])
    before = counts()
    response = analyse(client, **data)
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.findall(r'<p class="field-error" role="alert">(.*?)</p>', html, re.S)
    assert any(field in e and message in e for e in errors), errors
    assert counts() == before


def test_a_file_sent_to_another_page_is_still_refused(client, people):
    client.force_login(people["partner"])
    payload = SimpleUploadedFile("release.txt", b"text", content_type="text/plain")
    assert client.post("/en/workspace/updates/new/", {"title": "x", "file": payload}).status_code == 400
    assert client.post(URL, {"step": "analyse", "other": payload}).status_code == 400


def test_people_without_a_country_cannot_use_it(client, people):
    client.force_login(people["panel"])
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page


@pytest.mark.parametrize("lang, words", [("en", "Also possible, not pre-selected"), ("ru", "Возможно также"),
                                         ("ar", "ممكن أيضًا")])
def test_a_weak_code_is_shown_as_also_possible_and_not_pre_selected(client, people, lang, words):
    """A victim type the assistant was usually wrong about on unseen texts (a lawyer) is named beside the
    incident, in the page's language, and its victim row is left empty; accepting saves no such victim."""
    from civicspace.monitoring.models import Term

    client.force_login(people["partner"])
    response = client.post(f"/{lang}/workspace/intake/", {
        "step": "analyse", "text": "Police detained a lawyer and a journalist in Bishkek on 4 March 2024."})
    html = response.content.decode()
    lawyer = Term.objects.get(vocabulary="victim", code="lawyer")
    assert words in html and lawyer.label in html.split(words, 1)[1].split("</p>", 1)[0]
    form = response.context["form"]
    chosen = {form[f"i0_v{v}_type"].value() for v in range(3)} - {None}
    assert lawyer.pk not in {getattr(v, "pk", v) for v in chosen} and chosen
    before = (Update.objects.count(), Victim.objects.filter(type=lawyer).count())
    client.post(f"/{lang}/workspace/intake/", review_data(response))
    draft = Update.objects.latest("pk")
    assert (Update.objects.count(), Victim.objects.filter(type=lawyer).count()) == (before[0] + 1, before[1])
    assert {v.type.code for v in Victim.objects.filter(incident__update=draft)} == {"journalist"}


def test_an_incident_whose_only_code_is_weak_is_accepted_as_suggested(client, people):
    """A weak code that is an incident's only violation type stays pre-selected, so accepting the suggestions as
    they are saves the incident instead of asking for a type."""
    client.force_login(people["partner"])
    response = analyse(client, text="Police harassed the journalist Ivan Petrov in Bishkek on 4 March 2024.")
    before = Incident.objects.count()
    accepted = client.post(URL, review_data(response))
    assert accepted.status_code == 302, accepted.content.decode()[:2000]
    saved = Incident.objects.filter(update=Update.objects.latest("pk"))
    assert Incident.objects.count() == before + 1
    assert [t.code for t in saved.get().types.all()] == ["harassment"]
