from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civicspace.core.text import clean_markdown
from civicspace.countries.models import Country, Region


class Organisation(models.Model):
    """A research partner: an NGO that documents civic space in the countries it covers."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)  # translated (see translation.py)
    website = models.URLField(blank=True)
    countries = models.ManyToManyField(Country, blank=True, related_name="partner_organisations")
    regions = models.ManyToManyField(Region, blank=True, related_name="partner_organisations")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Vocabulary(models.TextChoices):
    FREEDOM = "freedom", _("Freedom")
    VIOLATION = "violation", _("Violation")
    POSITIVE = "positive", _("Positive development")
    VICTIM = "victim", _("Victim type")
    PERPETRATOR = "perpetrator", _("Perpetrator type")


class Term(models.Model):
    """One entry of the controlled vocabulary: a stable code and labels in five languages."""

    vocabulary = models.CharField(max_length=12, choices=Vocabulary.choices)
    code = models.SlugField(max_length=50)
    label = models.CharField(max_length=150)  # translated
    position = models.PositiveSmallIntegerField(default=0)
    freedom = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="types",
                                limit_choices_to={"vocabulary": Vocabulary.FREEDOM})
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["vocabulary", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="unique_term_code")]

    def __str__(self):
        return self.label


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    VERIFIED = "verified", _("Verified")
    PUBLISHED = "published", _("Published")
    RETRACTED = "retracted", _("Retracted")


class TranslationStatus(models.TextChoices):
    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft translation")
    REVIEWED = "reviewed", _("Reviewed")


def published_q(prefix=""):
    """The publication rule of monitoring, written once: an update is public once published (a retracted one
    keeps only its page with the retraction notice). `prefix` reaches it from a related model
    ("update__", "incident__update__")."""
    return models.Q(**{f"{prefix}status": Status.PUBLISHED})


def visible_q(prefix=""):
    """Updates whose page answers: published ones and retracted ones (with their notice)."""
    return models.Q(**{f"{prefix}status__in": (Status.PUBLISHED, Status.RETRACTED)})


class UpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def visible(self):
        """Published or retracted: the updates whose public page answers."""
        return self.filter(visible_q())


class IncidentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q("update__"))


class SourceQuerySet(models.QuerySet):
    def public(self):
        """Row by row: the non-confidential sources (of any update; combine with published())."""
        return self.filter(confidential=False)

    def published(self):
        return self.filter(published_q("update__"), confidential=False)


class VictimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q("incident__update__"))


class Update(models.Model):
    """A dated narrative about one country, written by a research partner, containing incidents."""

    objects = UpdateQuerySet.as_manager()

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="updates")
    date = models.DateField(_("date"))
    original_language = models.CharField(_("original language"), max_length=2, choices=settings.LANGUAGES)
    # title, summary and body are translated: title_en, title_ru, ... (see translation.py)
    title = models.CharField(_("title"), max_length=250, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    translation_status = models.JSONField(default=dict, blank=True)  # {"ru": "reviewed", ...}
    freedoms = models.ManyToManyField(Term, related_name="updates", limit_choices_to={"vocabulary": "freedom"})
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="updates")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # The public reason of a retraction, translated (retraction_reason_en, ...: the editor may give it in other
    # languages) and written in retraction_language; readers of a language without it see that original.
    retraction_reason = models.TextField(blank=True)
    retraction_language = models.CharField(_("language of the reason"), max_length=2, choices=settings.LANGUAGES,
                                           blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Optimistic locking: every save increments it; a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    # Set for records loaded from a file (demo content, imports) so that a second load finds them.
    import_key = models.CharField(max_length=100, blank=True, db_index=True)
    # The new-draft form's one-time key: the same form submitted twice (a double click, a resent request) finds
    # the draft it already made instead of making a second one.
    submission_key = models.CharField(max_length=36, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at", "submission_key"])

    class Meta:
        ordering = ["-date", "-pk"]
        # The public lists: published updates newest first, everywhere or in one country (one page is read
        # from the index instead of sorting every update; benchmarked in bench/).
        indexes = [models.Index(fields=["status", "date", "id"], name="update_status_date"),
                   models.Index(fields=["country", "status", "date", "id"], name="update_country_status_date")]
        constraints = [models.UniqueConstraint(fields=["created_by", "submission_key"],
                                               condition=~models.Q(submission_key=""),
                                               name="update_one_draft_per_submission")]

    def __str__(self):
        # The interface language's title, else the original one (never an empty "Update 11" for staff).
        return self.title or getattr(self, f"title_{self.original_language}", "") or f"Update {self.pk}"

    @property
    def is_public(self):
        return self.status in (Status.PUBLISHED, Status.RETRACTED)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def is_retracted(self):
        return self.status == Status.RETRACTED

    def save(self, *args, **kwargs):
        # Markdown is stored as it will be published: no HTML comment or raw HTML (core/text.clean_markdown).
        for lang, _name in settings.LANGUAGES:
            name = f"body_{lang}"
            if getattr(self, name, None):
                setattr(self, name, clean_markdown(getattr(self, name)))
        super().save(*args, **kwargs)

    def language_status(self, lang):
        if lang == self.original_language:
            return TranslationStatus.REVIEWED
        return self.translation_status.get(lang, TranslationStatus.MISSING)

    def get_absolute_url(self):
        return reverse("publishing:update_detail", args=[self.pk])


class Source(models.Model):
    """Evidence cited by an update and its incidents. Confidential sources never reach a public output."""

    objects = SourceQuerySet.as_manager()

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    note = models.TextField(_("note for editors"), blank=True)  # never public
    version = models.PositiveIntegerField(default=1)  # optimistic locking, as Update.version
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title


class Incident(models.Model):
    class DatePrecision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")
        YEAR = "year", _("year")

    class PlacePrecision(models.TextChoices):
        CITY = "city", _("city")
        REGION = "region", _("region")
        COUNTRY = "country", _("country only")

    objects = IncidentQuerySet.as_manager()

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="incidents")
    date = models.DateField(_("date"))
    date_precision = models.CharField(_("date precision"), max_length=5, choices=DatePrecision.choices)
    # The public place, only as precise as place_precision says: a city, a region, or nothing at all for
    # "country only". An exact place that a partner coarsened is not stored anywhere, in no language (save()
    # empties every translation). Translated (place_en, ...; see translation.py): the original is in the
    # update's original language; the public reads it through monitoring.selectors.incident_place.
    place = models.CharField(_("place"), max_length=200, blank=True)
    place_precision = models.CharField(_("place precision"), max_length=7, choices=PlacePrecision.choices,
                                       default=PlacePrecision.COUNTRY)
    description = models.TextField(_("description"), blank=True)  # translated
    outcome = models.TextField(_("case outcome, if known"), blank=True)  # translated
    freedoms = models.ManyToManyField(Term, related_name="+", limit_choices_to={"vocabulary": "freedom"})
    types = models.ManyToManyField(Term, related_name="incidents",
                                   limit_choices_to={"vocabulary__in": ["violation", "positive"]})
    perpetrators = models.ManyToManyField(Term, related_name="+", blank=True,
                                          limit_choices_to={"vocabulary": "perpetrator"})
    sources = models.ManyToManyField(Source, related_name="incidents", blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking (its victims are saved with it)
    # A copy of `types`: their ids, ascending, joined with commas ("" for none). Recomputation (Watchlist
    # signals, guiding scores' live evidence) counts a window's incidents per set of types from it, without
    # joining the many-to-many table (ten times slower at 500,000 incidents, bench/). Written only from the
    # relation: by the m2m_changed receiver (monitoring/signals.py) and by the bulk paths that write the
    # relation's rows themselves (the importer, the benchmark generator); save() never writes it.
    type_ids = models.TextField(default="", blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["type_ids"])

    class Meta:
        ordering = ["date", "pk"]
        # Date windows (Watchlist signals, guiding scores' live evidence): on PostgreSQL the index also carries
        # the update id, the incident id and the set of types, so counting a window's incidents per country
        # and set of types never reads the wide incident rows (an index-only scan; SQLite has no covering
        # indexes and gets the plain date index).
        indexes = [models.Index(fields=["date"], include=["update", "id", "type_ids"], name="incident_date_update")]

    def __str__(self):
        return f"{self.update.country.code} {self.date}: {self.description[:40]}"

    @staticmethod
    def shown_place(place, place_precision):
        """The place a public output may show: none when coarsened to the country (also for rows written in
        bulk, which bypass save())."""
        return "" if place_precision == Incident.PlacePrecision.COUNTRY else place

    def save(self, *args, **kwargs):
        if self.place_precision == self.PlacePrecision.COUNTRY:
            # Coarsened to the country: no place is kept where the public could reach it, in any language.
            for lang, _name in settings.LANGUAGES:
                setattr(self, f"place_{lang}", "")
            self.__dict__["place"] = ""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            # type_ids follows the relation (see the field): an instance read before its types changed must not
            # write its old copy back.
            kwargs["update_fields"] = [f.attname for f in self._meta.concrete_fields
                                       if not f.primary_key and f.attname != "type_ids"]
        super().save(*args, **kwargs)


def type_ids_text(term_ids):
    """Incident.type_ids for a set of type term ids: ascending, joined with commas ("" for none)."""
    return ",".join(map(str, sorted(set(term_ids))))


class Victim(models.Model):
    """A group of victims of one type. Names are optional; sensitive names never reach a public output."""

    objects = VictimQuerySet.as_manager()

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="victims")
    type = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+",
                             limit_choices_to={"vocabulary": "victim"})
    count = models.PositiveIntegerField(_("number of victims"), null=True, blank=True)
    names = models.TextField(_("names, one per line"), blank=True)
    names_sensitive = models.BooleanField(_("names are sensitive (never published)"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def public_names(self):
        if self.names_sensitive:
            return []
        return [line.strip() for line in self.names.splitlines() if line.strip()]


class Comment(models.Model):
    """An editor's (or partner's) comment on an update; partners see every comment on their own updates."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"))
    transition = models.CharField(max_length=30, blank=True)  # set when the comment came with a transition
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class TrendCall(models.Model):
    """A research partner's call on where civic space in a country is heading over a period (an input of the
    Watchlist signals)."""

    class Call(models.TextChoices):
        WORSE = "worse", _("Worse")
        SAME = "same", _("About the same")
        BETTER = "better", _("Better")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="trend_calls")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="trend_calls")
    period_end = models.DateField(_("end of the period"))
    call = models.CharField(_("trend"), max_length=6, choices=Call.choices)
    note = models.TextField(_("why (optional)"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
