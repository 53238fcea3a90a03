"""Incremental rebuilds: which pages of an existing mirror a publication changed.

A build leaves its state beside the mirror's folder, never inside it (`.<folder>.build-state.json` in the
folder's parent: it steers the next build on the builder's machine only, and it holds audit event ids, which are
not public, so it must not travel with the folder to the host that serves it): the code and settings it was
built with, the newest audit event it had seen, and for every page its file and the items it links to.

The next build with --incremental reads the audit log since then (every service writes one event per change,
in the change's transaction). When every event names an update, a law or a case, it re-renders only:
- the changed items' own pages (every language) and their country's page, now and before (a page that linked to
  the item in the last build);
- every page that linked to a changed item in the last build (lists, the country page, a law's related updates);
- every page of each list of that kind whose single filter matches the item now (the whole list, as an item
  added or removed shifts its pagination), and the unfiltered list;
- every other page, except the item pages and lists not named above and the pages of published editions and
  fixed texts (ratings, Watchlist, methodology: they hold no update, law or case unless they link to it):
  home and map, the country lists, feeds, findings, data, search, the ratings and Watchlist index.
Anything the state cannot tell leads to a full build, with the reason: no state, another code version or other
settings, an audit event of any other kind, a publication change without an audit event, another set of
filtered lists (a new country, violation type or year appears in every list's filter note)."""
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from . import signing

STATE = signing.STATE
STATE_FORMAT = 1
CODE_ROOT = Path(__file__).resolve().parent.parent  # the civicspace package
CODE_SUFFIXES = {".py", ".html", ".txt", ".mo", ".css", ".js", ".svg", ".json", ".xml"}
# An item a page links to: /<lang>/updates/12/, /<lang>/laws/3/, /<lang>/cases/4/, /<lang>/countries/kgz/.
ITEM_LINK = re.compile(r"/([a-z]{2})/(updates|laws|cases|countries)/([0-9]+|[a-z][a-z0-9-]*)/")
# The pages of published editions (ratings, Watchlist) and the fixed texts: an update, law or case changes them
# only when they link to it. (Findings count the updates of their period: always rendered.)
EDITIONS = re.compile(r"/[a-z]{2}/(?:(?:ratings|watchlist)/.+/|methodology/|accessibility/|mirrors/)")
KINDS = {"updates": "update", "laws": "law", "cases": "case", "countries": "country"}
LIST_KINDS = {"updates": "update", "laws": "law", "cases": "case"}
NUMERIC = {"update", "law", "case"}
# Audit targets whose changes stay within one item (anything else: a full build).
TARGETS = {"monitoring.update": "update", "legislation.bill": "law", "cases.case": "case"}
WINDOW = dt.timedelta(minutes=10)  # events committed late (a transaction open during the last build)


def code_version():
    """A digest of the package's code, templates, translations and assets: another version renders otherwise."""
    digest = hashlib.sha256()
    for path in sorted(CODE_ROOT.rglob("*")):
        if path.suffix not in CODE_SUFFIXES or "node_modules" in path.parts or "__pycache__" in path.parts \
                or not path.is_file():
            continue
        digest.update(path.relative_to(CODE_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def settings_digest(options_used, live_url):
    values = [options_used, live_url, settings.SITE_URL, settings.STATIC_URL, [c for c, _n in settings.LANGUAGES],
              settings.TIME_ZONE, getattr(settings, "MIRROR_PUBLIC_KEY", "")]
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def page_item(path):
    """(kind, id) of an item's own page, else None."""
    match = ITEM_LINK.fullmatch(path)
    if not match or (KINDS[match.group(2)] in NUMERIC) != match.group(3).isdigit():
        return None
    return KINDS[match.group(2)], match.group(3)


def page_list(path, key):
    """(kind, filter) of a page of a list of updates, laws or cases (filter: the key without "page"), else None."""
    match = re.fullmatch(r"/[a-z]{2}/(updates|laws|cases)/", path)
    if not match:
        return None
    return LIST_KINDS[match.group(1)], tuple(pair for pair in key if pair[0] != "page")


def linked_items(body):
    """Every item a page (HTML or a feed) links to, as "kind:id"."""
    found = set()
    for _lang, section, ident in ITEM_LINK.findall(body):
        kind = KINDS[section]
        if (kind in NUMERIC) == ident.isdigit():
            found.add(f"{kind}:{ident}")
    return sorted(found)


def audit_position():
    """Where the audit log stands before a build: [newest id, first id of the last WINDOW, events from that one
    to the newest]. An event of an older transaction can commit after the build read the log: when the next
    build counts more events in that range, it reads the whole window again. (No times: they are not public.)"""
    from civicspace.audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-id").values_list("id", "created_at").first()
    if last is None:
        return [0, 0, 0]
    first = AuditEvent.objects.filter(created_at__gte=last[1] - WINDOW).order_by("id").values_list(
        "id", flat=True).first() or last[0]
    return [last[0], first, AuditEvent.objects.filter(id__gte=first, id__lte=last[0]).count()]


def state_path(out):
    """Where a build of the folder `out` keeps its state: a hidden file beside the folder, not inside it."""
    out = Path(out).resolve()
    return out.parent / f".{out.name}.{STATE}"


def state_write(out, *, meta, pages, redirects, filters, position):
    entries = []
    for (path, key), page in sorted(pages.items(), key=lambda item: (item[0][0], item[0][1])):
        if (path, key) in redirects:
            continue
        entries.append([path, [list(pair) for pair in key], page.file, page.content_type, page.refs])
    state = {**meta, "state_format": STATE_FORMAT, "audit": list(position), "filters": filters,
             "redirects": [[s[0], [list(p) for p in s[1]], t[0], [list(p) for p in t[1]]] for s, t in
                           sorted(redirects.items())],
             "pages": entries}
    state_path(out).write_text(json.dumps(state, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                               encoding="utf-8")


def state_read(out):
    path = state_path(out)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None


@dataclass
class Plan:
    """What an incremental build renders. `groups`: list (kind, filter) whose pages are all re-rendered;
    `items`: "kind:id" whose own pages are; `pages`: (path, key) re-rendered because they linked to a change."""
    previous: dict  # (path, key) -> [file, content_type, refs]
    changed: set = field(default_factory=set)
    items: set = field(default_factory=set)
    groups: set = field(default_factory=set)
    pages: set = field(default_factory=set)

    def renders(self, path, key):
        """Whether an address is rendered: new, a hub, or in the plan."""
        if (path, key) not in self.previous:
            return True
        item = page_item(path)
        if item is not None and not key:
            return f"{item[0]}:{item[1]}" in self.items or (path, key) in self.pages
        listed = page_list(path, key)
        if listed is not None:
            return listed in self.groups or (path, key) in self.pages
        if EDITIONS.fullmatch(path):
            return (path, key) in self.pages
        return True  # home, the country list, feeds, data, the Watchlist and ratings index, ...: always


def _key(pairs):
    return tuple(tuple(pair) for pair in pairs)


def plan_make(state, *, meta, filters, say):
    """A Plan, or (None, reason) when only a full build is right."""
    if state is None:
        return None, "no build state in the folder"
    if state.get("state_format") != STATE_FORMAT or state.get("code") != meta["code"]:
        return None, "another code version built this mirror"
    if state.get("settings") != meta["settings"]:
        return None, "other build settings"
    if state.get("filters") != filters:
        return None, "the filtered lists changed (a new or vanished filter value)"
    changed, reason = _changed_items(state)
    if changed is None:
        return None, reason
    previous = {(path, _key(key)): [file, ctype, refs] for path, key, file, ctype, refs in state["pages"]}
    plan = Plan(previous=previous, changed=changed)
    plan.items = set(changed)
    for (path, key), (_file, _ctype, refs) in previous.items():
        if changed & set(refs):
            listed = page_list(path, key)
            if listed is not None:
                plan.groups.add(listed)
            else:
                plan.pages.add((path, key))
    for ref in changed:
        kind, ident = ref.split(":", 1)
        for country, groups in _now(kind, ident):
            plan.items.add(f"country:{country}")
            plan.groups.update((kind, group) for group in groups)
    say(f"Incremental: {len(changed)} changed item(s) since the last build ({', '.join(sorted(changed)[:5])}"
        f"{' ...' if len(changed) > 5 else ''}).")
    return plan, ""


def _changed_items(state):
    """{"kind:id"} changed since the state's audit position, or (None, reason)."""
    from civicspace.audit.models import AuditEvent

    last_id, first, count = state.get("audit") or (0, 0, 0)
    since = last_id
    if AuditEvent.objects.filter(id__gte=first, id__lte=last_id).count() != count:
        since = first - 1  # events committed late: the whole window again
    rows = list(AuditEvent.objects.filter(id__gt=since).values_list(
        "id", "action", "target_type", "target_id", "data"))
    changed = set()
    for _id, action, target_type, target_id, data in sorted(rows):
        app = action.split(".", 1)[0]
        if app in ("accounts", "alerts", "jobs", "audit"):
            continue  # never on a public page
        if target_type == "monitoring.incident" and isinstance(data, dict) and data.get("update"):
            changed.add(f"update:{data['update']}")
        elif target_type in TARGETS and target_id:
            changed.add(f"{TARGETS[target_type]}:{target_id}")
        else:
            return None, f"a change the build state cannot place ({action})"
    if not changed:
        return None, "the publication changed without an audit event naming it"
    return changed, ""


def _now(kind, ident):
    """[(country code, [filters of its lists])] of an item as published now (empty when it is not public)."""
    from civicspace.cases import selectors as cases
    from civicspace.legislation import selectors as legislation
    from civicspace.monitoring import selectors as monitoring

    if kind == "update":
        row = monitoring.public_updates().filter(pk=ident).values("country__code", "country__region__code",
                                                                    "date").first()
        if row is None:
            return []
        violations = sorted({v for v in monitoring.public_updates().filter(pk=ident).values_list(
            "incidents__types__code", flat=True) if v})
        groups = [(), (("country", row["country__code"].lower()),), (("region", row["country__region__code"]),)]
        groups += [(("violation", v),) for v in violations]
        if row["date"]:
            groups.append((("year", str(row["date"].year)),))
        return [(row["country__code"].lower(), groups)]
    queryset = legislation.bill_list() if kind == "law" else cases.published()
    row = queryset.filter(pk=ident).values("country__code", "country__region__code").first()
    if row is None:
        return []
    groups = [(), (("country", row["country__code"].lower()),)]
    if kind == "law":
        groups.append((("region", row["country__region__code"]),))
    return [(row["country__code"].lower(), groups)]
