"""The mirror's manifest (every file with its SHA-256 and size) and its Ed25519 signature.

The private key comes from the environment (MIRROR_SIGNING_KEY: the raw 32-byte key in base64, or a PEM
PKCS#8 key); it is never stored in the repository or the mirror. The public key (base64 of the raw 32 bytes, or
PEM) is published on the live site's Mirrors page and passed to `civicspace mirror verify`."""
import base64
import hashlib
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
STATE = "build-state.json"  # what the next incremental build needs; kept beside the folder (mirror/incremental.py)
NOT_LISTED = {MANIFEST, SIGNATURE}


class SigningKeyError(ValueError):
    """A key that cannot be read (says which and why)."""


def keypair_new():
    """(private, public) as base64 of the raw 32-byte keys."""
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                        serialization.NoEncryption())
    raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw_private).decode(), base64.b64encode(raw_public).decode()


def _key_load(text, *, name, kind, load_pem, from_raw):
    """An Ed25519 key of `kind` (Ed25519PrivateKey or Ed25519PublicKey) from PEM or base64 of the raw 32 bytes;
    `name` says where it came from in the error."""
    try:
        if text.startswith("-----BEGIN"):
            key = load_pem(text.encode())
        else:
            key = from_raw(base64.b64decode(text, validate=True))
    except (ValueError, TypeError) as error:
        what = "private" if kind is Ed25519PrivateKey else "public"
        raise SigningKeyError(f"{name} is not an Ed25519 {what} key (base64 or PEM): {error}") from None
    if not isinstance(key, kind):
        raise SigningKeyError(f"{name} is not an Ed25519 key.")
    return key


def private_key_load(text):
    text = (text or "").strip()
    if not text:
        raise SigningKeyError("MIRROR_SIGNING_KEY is empty: set it to a private key (`civicspace mirror keygen`).")
    return _key_load(text, name="MIRROR_SIGNING_KEY", kind=Ed25519PrivateKey,
                     load_pem=lambda data: serialization.load_pem_private_key(data, password=None),
                     from_raw=Ed25519PrivateKey.from_private_bytes)


def public_key_load(text):
    text = (text or "").strip()
    try:
        if Path(text).is_file():  # a file holding the key
            text = Path(text).read_text(encoding="utf-8").strip()
    except OSError:
        pass
    return _key_load(text, name="--key", kind=Ed25519PublicKey, load_pem=serialization.load_pem_public_key,
                     from_raw=Ed25519PublicKey.from_public_bytes)


def public_key_text(private_key):
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def listed_files(root):
    """Every file under root (posix paths relative to it) except the manifest and its signature."""
    root = Path(root)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.relative_to(root).as_posix() not in NOT_LISTED)


def manifest_write(root, *, meta, private_key, known=None):
    """Write manifest.json (canonical JSON) and manifest.json.sig (base64 Ed25519 signature of its bytes).
    `known`: {path: (sha256, size)} already computed for files written by this build."""
    root = Path(root)
    known = known or {}
    files = {}
    for rel in listed_files(root):
        size = (root / rel).stat().st_size
        if rel in known and known[rel][1] == size:
            files[rel] = {"sha256": known[rel][0], "size": size}
        else:
            files[rel] = {"sha256": file_digest(root / rel), "size": size}
    manifest = {**meta, "public_key": public_key_text(private_key), "files": files}
    data = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    (root / MANIFEST).write_bytes(data)
    (root / SIGNATURE).write_text(base64.b64encode(private_key.sign(data)).decode() + "\n", encoding="ascii")
    return manifest


def manifest_read(root):
    path = Path(root) / MANIFEST
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def mirror_verify(root, public_key):
    """{"signature_ok": bool, "missing": [...], "extra": [...], "changed": [...], "files": n}. The signature is
    checked over the manifest's exact bytes, then every file against it."""
    root = Path(root)
    report = {"signature_ok": False, "missing": [], "extra": [], "changed": [], "files": 0, "error": ""}
    manifest_path, signature_path = root / MANIFEST, root / SIGNATURE
    if not manifest_path.is_file() or not signature_path.is_file():
        report["error"] = f"{MANIFEST} or {SIGNATURE} is missing in {root}"
        return report
    data = manifest_path.read_bytes()
    try:
        public_key.verify(base64.b64decode(signature_path.read_text(encoding="ascii").strip()), data)
        report["signature_ok"] = True
    except (InvalidSignature, ValueError):
        report["error"] = "the signature does not match the manifest and this public key"
        return report
    files = json.loads(data.decode("utf-8"))["files"]
    present = set(listed_files(root))
    report["files"] = len(files)
    for rel, entry in sorted(files.items()):
        path = root / rel
        if rel not in present:
            report["missing"].append(rel)
        elif path.stat().st_size != entry["size"] or file_digest(path) != entry["sha256"]:
            report["changed"].append(rel)
    report["extra"] = sorted(present - set(files))
    return report


def verify_ok(report):
    return report["signature_ok"] and not (report["missing"] or report["extra"] or report["changed"])
