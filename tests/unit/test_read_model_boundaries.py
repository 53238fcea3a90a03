"""The public read model's boundaries, checked on the source (no database): import contracts between layers, the
pure engines free of Django, and the publication rule written only in the domains' models and selectors.

Layers: core/ (shared helpers, imports no domain); the domains (data and their services and selectors); the
public outputs (publishing/, api/, exports/, search/, findings/), which read only through the domains'
`published()` querysets and public selectors. Domains never import an output layer."""
import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "civicspace"
DOMAINS = ["audit", "accounts", "countries", "ratings", "monitoring", "legislation", "watchlist", "pagecache",
           "methodology"]
OUTPUTS = ["publishing", "api", "exports", "search", "findings", "seo", "alerts", "mirror"]
PURE = ["methodology", "watchlist/risk.py", "watchlist/config.py", "legislation/timeline.py"]


def python_files(*parts):
    for part in parts:
        path = ROOT / part
        files = [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
        yield from (f for f in files if "migrations" not in f.parts)


def imports(path):
    """Absolute module names imported by a file (relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.append(module)
            found += [f"{module}.{alias.name}" for alias in node.names]
    return found


def violations(parts, forbidden):
    pattern = re.compile(r"^(" + "|".join(re.escape(f) for f in forbidden) + r")(\.|$)")
    return sorted({f"{path.relative_to(ROOT)} imports {name}" for path in python_files(*parts)
                   for name in imports(path) if pattern.match(name)})


def test_domains_never_import_an_output_layer():
    assert violations(DOMAINS, [f"civicspace.{o}" for o in OUTPUTS if o not in ("search",)]) == []


def test_core_imports_no_domain_and_no_output():
    assert violations(["core"], [f"civicspace.{name}" for name in DOMAINS + OUTPUTS]) == []


def test_the_api_and_the_exports_take_nothing_from_the_pages():
    assert violations(["api", "exports"], ["civicspace.publishing"]) == []


@pytest.mark.parametrize("part", PURE)
def test_the_pure_engines_import_no_django(part):
    for path in python_files(part):
        roots = {name.split(".")[0] for name in imports(path)}
        assert "django" not in roots, path
        assert roots <= set(sys.stdlib_module_names) | {"civicspace"}, (path, roots - set(sys.stdlib_module_names))
        assert not [n for n in imports(path) if n.startswith("civicspace.") and not any(
            n.startswith("civicspace." + p.replace("/", ".").removesuffix(".py")) for p in PURE)], path


# --- the publication rule is written once per domain ---------------------------------------------------------

RULE = [
    (re.compile(r"\bStatus\.(DRAFT|SUBMITTED|IN_REVIEW|CHANGES_REQUESTED|VERIFIED|PUBLISHED|RETRACTED)\b"),
     "a status constant"),
    (re.compile(r"\.status\s*(==|!=|\bin\b|\bnot in\b)"), "a status comparison"),
    (re.compile(r"\bstatus(__in)?\s*=\s*(Status\b|[\"'\[(])"), "a status filter"),
    (re.compile(r"__status\b"), "a status lookup"),
    (re.compile(r"\bverified\s*=\s*(True|False)\b"), "a verified filter"),
    (re.compile(r"edition__isnull"), "an edition-published filter"),
    (re.compile(r"[\"'](published|retracted|draft)[\"']\s*(==|!=)|(==|!=)\s*[\"'](published|retracted|draft)[\"']"),
     "a status literal"),
]


def rule_violations(parts):
    found = []
    for path in python_files(*parts):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            found += [f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}"
                      for pattern, what in RULE if pattern.search(code)]
    return found


def test_no_output_layer_writes_the_publication_rule_itself():
    """Pages, API, feeds, exports, search and findings ask the domains' published() querysets and selectors;
    none of them filters on a status or the verified flag."""
    assert rule_violations(OUTPUTS) == []


def test_the_detector_finds_an_inline_rule(tmp_path, monkeypatch):
    sample = tmp_path / "civicspace" / "api" / "x.py"
    sample.parent.mkdir(parents=True)
    sample.write_text('rows = [u for u in bill.updates.all() if u.status == Status.PUBLISHED]\n'
                      'events = StageEvent.objects.filter(verified=True)\n'
                      'return render(request, "x.html", status=400)\n')
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path / "civicspace")
    found = rule_violations(["api"])
    assert len(found) == 3 and all("x.py:1" in f or "x.py:2" in f for f in found)
