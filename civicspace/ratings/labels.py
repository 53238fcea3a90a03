"""Names, colours and descriptions of the five ratings, in the five languages (through gettext).

The band thresholds themselves live in the pure methodology package (civicspace.methodology.bands).
"""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicspace.methodology.bands import BANDS

RATING_NAMES = {
    "open": pgettext_lazy("rating", "Open"),
    "narrowed": pgettext_lazy("rating", "Narrowed"),
    "obstructed": pgettext_lazy("rating", "Obstructed"),
    "repressed": pgettext_lazy("rating", "Repressed"),
    "closed": pgettext_lazy("rating", "Closed"),
}

RATING_DESCRIPTIONS = {
    "open": _(
        "The state enables and safeguards civic space. People can form associations, demonstrate in public "
        "places and receive and share information without legal or practical obstacles. Authorities tolerate "
        "criticism, and the media is free and diverse."
    ),
    "narrowed": _(
        "People can broadly exercise their freedoms of association, peaceful assembly and expression, but "
        "violations occur: some protests are dispersed or restricted, some groups face harassment, and "
        "journalists or activists are occasionally targeted."
    ),
    "obstructed": _(
        "Civic space is heavily contested by those in power, who use a combination of legal and practical "
        "constraints: illegal surveillance, bureaucratic harassment, demeaning public statements, excessive "
        "force against protesters and pressure on independent media."
    ),
    "repressed": _(
        "Civic space is significantly constrained. Those who criticise power risk surveillance, harassment, "
        "intimidation, imprisonment, injury and death. Organisations are threatened with closure, protests "
        "are broken up with force, and the media faces censorship and laws that restrict what can be said."
    ),
    "closed": _(
        "There is complete closure of civic space, in law and in practice. An atmosphere of fear and violence "
        "prevails: criticising the authorities is severely punished, independent organisations cannot "
        "operate, peaceful protest is met with lethal force, and the media is controlled by the state."
    ),
}

# Sequential palette from green (open) to dark red (closed); each pair passes WCAG AA for its text colour.
RATING_COLOURS = {
    "open": ("#1a9850", "#1b1b1b"),  # dark text: white on this green is 3.7:1, under AA's 4.5:1
    "narrowed": ("#a6d96a", "#1b1b1b"),
    "obstructed": ("#fee08b", "#1b1b1b"),
    "repressed": ("#f46d43", "#1b1b1b"),
    "closed": ("#a50026", "#ffffff"),
}


def rating_info(code):
    band = next(b for b in BANDS if b.code == code)
    return {
        "code": code,
        "name": RATING_NAMES[code],
        "description": RATING_DESCRIPTIONS[code],
        "low": band.low,
        "high": band.high,
        "rank": band.rank,
        "colour": RATING_COLOURS[code][0],
        "text_colour": RATING_COLOURS[code][1],
    }


def all_ratings():
    return [rating_info(band.code) for band in BANDS]


# The methodology's indicators and streams of evidence (their codes are defined by the methodology version).
INDICATOR_NAMES = {
    "association": _("Freedom of association"),
    "assembly": _("Freedom of peaceful assembly"),
    "expression": _("Freedom of expression"),
    "protection": _("The state's duty to protect"),
}

STREAM_NAMES = {
    "partner": _("Partner analysis"),
    "inhouse": _("In-house analysis"),
    "external": _("External indices"),
    "published": _("Previous published score"),
    "live": _("Live evidence since the last edition"),
    "clipping": _("Kept within 1–100"),
}
