#!/usr/bin/env python3
"""Generate each addon's README.rst from its readme/ fragments and manifest.

A local stand-in for OCA's ``oca-gen-addon-readme`` (OCA/maintainer-tools,
which is not published on PyPI), producing the same layout: the manifest's
name as title, the "generated, do not edit" comment with a source digest,
badges, DESCRIPTION, a table of contents, then Use Cases / Context,
Installation, Configuration, Usage, Development, Known issues / Roadmap,
Changelog, Bug Tracker and Credits (Authors, Contributors, Other credits,
Maintainers).  Markdown fragments are converted to reStructuredText by
pandoc (pypandoc-binary) with OCA's reader settings, and the result is
checked with docutils as OCA does.  It does not write
static/description/index.html.

Used by the ``oca-gen-addon-readme`` hook of .pre-commit-config.yaml: it
rewrites the README.rst files that are out of date and then exits 1, so the
hook fails until the regenerated files are committed.  ``--check`` only
reports them.
"""

import argparse
import ast
import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

FRAGMENTS_DIR = "readme"
# Fragment name -> heading level of its title (2: "=", 3: "-"), in OCA's order.
FRAGMENTS = {
    "DESCRIPTION": 2,
    "CONTEXT": 2,
    "INSTALL": 2,
    "CONFIGURE": 2,
    "USAGE": 2,
    "ROADMAP": 2,
    "DEVELOP": 2,
    "CONTRIBUTORS": 3,
    "CREDITS": 3,
    "HISTORY": 2,
}
SECTIONS = [
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]
# GitHub-flavoured Markdown without raw HTML nor automatic heading ids: OCA's
# reader for .md fragments.
PANDOC_MARKDOWN_FORMAT = "gfm-raw_html-gfm_auto_identifiers"

LICENSE_BADGES = {
    "AGPL-3": (
        "https://img.shields.io/badge/license-AGPL--3-blue.png",
        "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
        "License: AGPL-3",
    ),
    "LGPL-3": (
        "https://img.shields.io/badge/license-LGPL--3-blue.png",
        "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
        "License: LGPL-3",
    ),
    "GPL-3": (
        "https://img.shields.io/badge/license-GPL--3-blue.png",
        "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
        "License: GPL-3",
    ),
}
DEVELOPMENT_STATUS_BADGES = {
    "mature": ("Mature", "brightgreen"),
    "production/stable": ("Production%2FStable", "green"),
    "beta": ("Beta", "yellow"),
    "alpha": ("Alpha", "red"),
}

# docutils settings of OCA's check (from pypa/readme_renderer): any warning fails.
RST_SETTINGS = {
    "file_insertion_enabled": False,
    "halt_level": 2,
    "raw_enabled": False,
    "report_level": 2,
    "output_encoding": "unicode",
}

DIGEST_RE = re.compile(r"!! source digest: (sha256:\w+)")


class ReadmeError(Exception):
    pass


def read_manifest(addon_dir):
    path = addon_dir / "__manifest__.py"
    if not path.is_file():
        return None
    return ast.literal_eval(path.read_text(encoding="utf-8"))


def source_digest(addon_dir):
    """sha256 of the manifest and the readme/ folder, as OCA computes it."""
    sha = hashlib.sha256()
    paths = [addon_dir / "__manifest__.py"]
    for dirpath, dirnames, filenames in os.walk(addon_dir / FRAGMENTS_DIR):
        dirnames.sort()
        paths += [Path(dirpath) / name for name in sorted(filenames) if not name.startswith(".")]
    for path in paths:
        sha.update(str(path.relative_to(addon_dir)).encode("utf-8"))
        sha.update(path.read_bytes())
    return f"sha256:{sha.hexdigest()}"


def fragment_path(addon_dir, name):
    rst = addon_dir / FRAGMENTS_DIR / f"{name}.rst"
    md = addon_dir / FRAGMENTS_DIR / f"{name}.md"
    if rst.is_file() and md.is_file():
        raise ReadmeError(f"both {rst} and {md} exist: remove one")
    return rst if rst.is_file() else md if md.is_file() else None


def md_to_rst(path, level):
    try:
        import pypandoc  # only needed for Markdown fragments
    except ImportError as exc:
        raise ReadmeError("pypandoc is not installed (pip install pypandoc-binary)") from exc
    try:
        pypandoc.get_pandoc_path()
    except OSError as exc:
        raise ReadmeError("pandoc is not available (pip install pypandoc-binary)") from exc
    return pypandoc.convert_file(
        str(path),
        "rst",
        format=PANDOC_MARKDOWN_FORMAT,
        extra_args=[f"--shift-heading-level-by={level - 2}"],
        sandbox=True,
    )


def read_fragments(addon_dir, required):
    fragments, formats = {}, set()
    for name, level in FRAGMENTS.items():
        path = fragment_path(addon_dir, name)
        if path is None:
            continue
        formats.add(path.suffix)
        text = md_to_rst(path, level) if path.suffix == ".md" else path.read_text("utf-8")
        text = text.rstrip("\n")
        if text.strip():
            fragments[name] = text + "\n"
    missing = [name for name in required if name not in fragments]
    if missing:
        names = ", ".join(f"{FRAGMENTS_DIR}/{name}.md" for name in missing)
        raise ReadmeError(f"{addon_dir}: missing or empty {names}")
    if len(formats) > 1:
        raise ReadmeError(f"{addon_dir}/{FRAGMENTS_DIR}: mixes .md and .rst fragments")
    return fragments, formats.pop() if formats else ".md"


def heading(title, char, over=False):
    line = char * len(title)
    return f"{line}\n{title}\n{line}\n" if over else f"{title}\n{line}\n"


def render(addon_name, addon_path, manifest, fragments, fragments_format, digest, opts):
    org, repo, branch = opts.org_name, opts.repo_name, opts.branch
    sub = "~" if fragments_format == ".rst" else "-"
    out = [heading(manifest["name"], "=", over=True), "\n"]
    out.append(
        "..\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        "   !! This file is generated by tools/gen_addon_readme.py     !!\n"
        "   !! from readme/*.md and __manifest__.py: edit those, then  !!\n"
        "   !! run it (or pre-commit); changes here are overwritten.   !!\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        f"   !! source digest: {digest}\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n"
    )
    badges = []
    status = manifest.get("development_status", "Beta").lower()
    if status in DEVELOPMENT_STATUS_BADGES:
        label, colour = DEVELOPMENT_STATUS_BADGES[status]
        badges.append(
            (
                f"https://img.shields.io/badge/maturity-{label}-{colour}.png",
                "https://odoo-community.org/page/development-status",
                label.replace("%2F", "/"),
            )
        )
    if manifest.get("license") in LICENSE_BADGES:
        badges.append(LICENSE_BADGES[manifest["license"]])
    if org and repo:
        badge_org, badge_repo = org.replace("-", "--"), repo.replace("-", "--")
        badges.append(
            (
                f"https://img.shields.io/badge/github-{badge_org}%2F{badge_repo}"
                "-lightgray.png?logo=github",
                f"https://github.com/{org}/{repo}/tree/{branch}/{addon_path}",
                f"{org}/{repo}",
            )
        )
    for index, (image, target, alt) in enumerate(badges, 1):
        out.append(f".. |badge{index}| image:: {image}\n    :target: {target}\n    :alt: {alt}\n")
    if badges:
        out.append("\n" + " ".join(f"|badge{i}|" for i in range(1, len(badges) + 1)) + "\n\n")
    out.append(fragments.get("DESCRIPTION", "") + "\n")
    if status == "alpha":
        out.append(
            ".. IMPORTANT::\n"
            "   This is an alpha version, the data model and design can change at any time"
            " without warning.\n"
            "   Only for development or testing purpose, do not use in production.\n"
            "   `More details on development status"
            " <https://odoo-community.org/page/development-status>`_\n\n"
        )
    out.append("**Table of contents**\n\n.. contents::\n   :local:\n\n")
    for name, title in SECTIONS:
        if name in fragments:
            out.append(heading(title, "=") + "\n" + fragments[name] + "\n")
    if org and repo:
        issues = f"https://github.com/{org}/{repo}/issues"
        body = (
            f"module:%20{addon_name}%0Aversion:%20{branch}%0A%0A**Steps%20to%20reproduce**"
            "%0A-%20...%0A%0A**Current%20behavior**%0A%0A**Expected%20behavior**"
        )
        out.append(
            heading("Bug Tracker", "=") + "\n"
            f"Bugs are tracked on `GitHub Issues <{issues}>`_.\n"
            "In case of trouble, please check there if your issue has already been reported.\n"
            "If you spotted it first, help us to smash it by providing a detailed and welcomed\n"
            f"`feedback <{issues}/new?body={body}>`_.\n\n"
            "Do not contact contributors directly about support or help with technical issues.\n\n"
        )
    out.append(heading("Credits", "=") + "\n")
    authors = [a.strip() for a in manifest.get("author", "").split(",") if a.strip()]
    if authors:
        out.append(heading("Authors", sub) + "\n")
        out.append("".join(f"* {author}\n" for author in authors) + "\n")
    for name, title in (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits")):
        if name in fragments:
            out.append(heading(title, sub) + "\n" + fragments[name] + "\n")
    out.append(heading("Maintainers", sub))
    maintainers = manifest.get("maintainers") or []
    if maintainers:
        out.append("\n")
        for login in maintainers:
            out.append(
                f".. |maintainer-{login}| image:: https://github.com/{login}.png?size=40px\n"
                f"    :target: https://github.com/{login}\n    :alt: {login}\n"
            )
        plural = "s" if len(maintainers) > 1 else ""
        out.append(f"\nCurrent maintainer{plural}:\n\n")
        out.append(" ".join(f"|maintainer-{login}|" for login in maintainers) + "\n")
    if org and repo:
        out.append(
            f"\nThis module is part of the `{org}/{repo} "
            f"<https://github.com/{org}/{repo}/tree/{branch}/{addon_path}>`_ project on GitHub.\n"
        )
    out.append("\nYou are welcome to contribute.\n")
    return "".join(out)


def check_rst(text, path):
    """Render with docutils as OCA does; any warning is an error."""
    try:
        from docutils.core import publish_string
        from docutils.utils import SystemMessage
    except ImportError:
        print(f"warning: docutils is not installed, {path} not checked", file=sys.stderr)
        return
    settings = dict(RST_SETTINGS, warning_stream=io.StringIO())
    try:
        publish_string(
            text, source_path=str(path), writer_name="html4css1", settings_overrides=settings
        )
    except SystemMessage as exc:
        raise ReadmeError(f"{path}: invalid reStructuredText: {exc}") from exc


def without_digest(text):
    return DIGEST_RE.sub("!! source digest:", text)


def addon_dirs(opts):
    dirs = [Path(d) for d in opts.addon_dirs]
    if opts.addons_dir:
        dirs += sorted(p.parent for p in Path(opts.addons_dir).glob("*/__manifest__.py"))
    return dirs


def repo_relative(path):
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
            cwd=path,
        ).stdout.strip()
        return path.resolve().relative_to(Path(top).resolve()).as_posix()
    except (OSError, subprocess.CalledProcessError, ValueError):
        return path.name


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("addon_dirs", nargs="*", help="addon directories")
    parser.add_argument("--addons-dir", help="generate for every addon of this directory")
    parser.add_argument("--org-name", default="", help="GitHub organisation, for the links")
    parser.add_argument("--repo-name", default="", help="GitHub repository, for the links")
    parser.add_argument("--branch", default="18.0", help="Odoo series, e.g. 18.0")
    parser.add_argument(
        "--required-fragments",
        default="DESCRIPTION",
        help="comma-separated fragments every addon must have (default: DESCRIPTION)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a README.rst is outdated"
    )
    opts = parser.parse_args(argv)
    required = [name.strip() for name in opts.required_fragments.split(",") if name.strip()]
    unknown = set(required) - set(FRAGMENTS)
    if unknown:
        parser.error(f"unknown fragments: {', '.join(sorted(unknown))}")
    outdated, errors = [], []
    for addon_dir in addon_dirs(opts):
        manifest = read_manifest(addon_dir)
        if manifest is None or not manifest.get("installable", True):
            continue
        readme = addon_dir / "README.rst"
        try:
            fragments, fragments_format = read_fragments(addon_dir, required)
            if "DESCRIPTION" not in fragments:
                continue
            text = render(
                addon_dir.resolve().name,
                repo_relative(addon_dir),
                manifest,
                fragments,
                fragments_format,
                source_digest(addon_dir),
                opts,
            )
            check_rst(text, readme)
        except ReadmeError as exc:
            errors.append(str(exc))
            continue
        old = readme.read_text(encoding="utf-8") if readme.is_file() else None
        # Like OCA's --keep-source-digest: a manifest change that changes
        # nothing in the text (a version bump) leaves README.rst alone.
        if old is not None and without_digest(old) == without_digest(text):
            continue
        outdated.append(readme)
        if not opts.check:
            readme.write_text(text, encoding="utf-8")
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    for readme in outdated:
        verb = "is out of date" if opts.check else "regenerated"
        print(f"{readme} {verb} (from {readme.parent / FRAGMENTS_DIR}/ and the manifest)")
    if outdated and opts.check:
        print("run: python tools/gen_addon_readme.py --addons-dir=addons", file=sys.stderr)
    return 1 if errors or outdated else 0


if __name__ == "__main__":
    sys.exit(main())
