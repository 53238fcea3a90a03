"""civicspace mirror build|verify|keygen: the signed static snapshot of the public site (civicspace/mirror)."""
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicspace.mirror import builder, signing


class Command(BaseCommand):
    help = "Build, verify or make keys for a signed static mirror of the public site."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="render the public site into a folder (MIRROR_SIGNING_KEY signs it)")
        build.add_argument("--out", required=True, help="the mirror folder")
        build.add_argument("--incremental", action="store_true",
                           help="skip the build when nothing was published since the last one; else render only "
                                "the pages the publication changed (a full build when the build state cannot tell); "
                                "keep unchanged files")
        build.add_argument("--languages", default="", help="comma-separated subset of en,ru,fr,es,ar")
        build.add_argument("--countries", default="", help="only these country pages (ISO3, comma-separated)")
        build.add_argument("--only", default="", help="only these parts (comma-separated): " + ",".join(builder.SECTIONS))
        build.add_argument("--no-pagefind", action="store_true", help="only the small word index for search")
        verify = sub.add_parser("verify", help="check a mirror's signature and every file")
        verify.add_argument("dir")
        verify.add_argument("--key", required=True, help="the public key (base64 or PEM, or a file holding it)")
        sub.add_parser("keygen", help="print a new Ed25519 key pair")

    def handle(self, *args, **options):
        return getattr(self, f"_{options['action']}")(options)

    def _keygen(self, options):
        private, public = signing.keypair_new()
        self.stdout.write(f"MIRROR_SIGNING_KEY={private}\nMIRROR_PUBLIC_KEY={public}\n")
        self.stdout.write("Keep the signing key secret (an environment variable of the build, never a file in the "
                          "repository); publish the public key (MIRROR_PUBLIC_KEY shows it on the Mirrors page).\n")

    def _build(self, options):
        try:
            key = signing.private_key_load(os.environ.get("MIRROR_SIGNING_KEY", ""))
        except signing.SigningKeyError as error:
            raise CommandError(str(error)) from None
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()] or builder.LANGS
        unknown = [code for code in languages if code not in builder.LANGS]
        if unknown:
            raise CommandError(f"--languages: unknown language {', '.join(unknown)} (choose from "
                               f"{', '.join(builder.LANGS)})")
        countries = [c.strip().lower() for c in options["countries"].split(",") if c.strip()] or None
        only = [s.strip() for s in options["only"].split(",") if s.strip()] or None
        if only and set(only) - set(builder.SECTIONS):
            raise CommandError(f"--only: unknown part {', '.join(sorted(set(only) - set(builder.SECTIONS)))} "
                               f"(choose from {', '.join(builder.SECTIONS)})")
        result = builder.mirror_build(builder.Options(
            out=Path(options["out"]), languages=languages, countries=countries, only=only, incremental=options["incremental"],
            pagefind=not options["no_pagefind"], progress=lambda msg: self.stdout.write(msg)), signing_key=key)
        if result.skipped:
            self.stdout.write(f"Mirror unchanged: {result.files} files in {options['out']}.")
            return
        for url, status in result.failed:
            self.stderr.write(f"  not copied ({status}): {url}")
        self.stdout.write(
            f"Mirror {'built' if result.full else 'rebuilt incrementally'} in {options['out']}: {result.pages} pages "
            f"({result.rendered} addresses rendered in "
            f"{result.seconds:.1f} s, {result.pages_per_second:.1f} pages/s), {result.files} files "
            f"({result.written} written, {result.kept} unchanged, {result.removed} removed), search: "
            f"{result.search}, generation {result.generation}, signed.")

    def _verify(self, options):
        try:
            key = signing.public_key_load(options["key"])
        except signing.SigningKeyError as error:
            raise CommandError(str(error)) from None
        report = signing.mirror_verify(Path(options["dir"]), key)
        for kind in ("missing", "extra", "changed"):
            for rel in report[kind]:
                self.stdout.write(f"{kind}: {rel}")
        if not signing.verify_ok(report):
            raise CommandError(report["error"] or (
                f"verification failed: {len(report['missing'])} missing, {len(report['extra'])} extra, "
                f"{len(report['changed'])} changed of {report['files']} files"))
        self.stdout.write(f"Signature valid; all {report['files']} files match the manifest.")
