"""``sop`` command group: list, show, validate, publish, html.

Attach to another click group with ``group.add_command(sop_group)`` (the ``loket`` CLI does).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sop.catalog import ROLES_FILENAME, Catalog, load_catalog, load_sop_file
from sop.errors import SopValidationError, display_path
from sop.office import load_office
from sop.roles import default_registry, load_roles
from sop.versions import publish as publish_versions

_DATA_KEY = "sop.data_dir"


def _catalog(ctx: click.Context) -> Catalog:
    try:
        return load_catalog(ctx.meta.get(_DATA_KEY))
    except SopValidationError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("sop")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Folder data SOP (bawaan: sop/data).")
@click.pass_context
def sop_group(ctx: click.Context, data_dir: Path | None) -> None:
    """Katalog SOP Kecamatan: daftar, tampilkan, validasi."""
    # ctx.meta, not ctx.obj: the parent CLI (loket) owns ctx.obj.
    ctx.meta[_DATA_KEY] = data_dir


@sop_group.command("list")
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    """Daftar SOP yang dimuat."""
    for sop in _catalog(ctx).all():
        click.echo(f"{sop.code:<16} {sop.name:<42} {len(sop.steps)} langkah  "
                   f"versi {sop.version}  {sop.content_hash[:12]}")


@sop_group.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Cetak JSON Sop.to_json().")
@click.pass_context
def show_cmd(ctx: click.Context, code: str, as_json: bool) -> None:
    """Tampilkan satu SOP sebagai tabel (atau JSON)."""
    from sop.render import render_table

    catalog = _catalog(ctx)
    if code not in catalog:
        raise click.ClickException(
            f"SOP tidak dikenal: '{code}' (tersedia: {', '.join(catalog.codes())})"
        )
    sop = catalog.get(code)
    if as_json:
        click.echo(json.dumps(sop.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_table(sop))


@sop_group.command("validate")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def validate_cmd(path: Path) -> None:
    """Periksa satu berkas SOP atau satu folder data; keluar 1 bila ada kesalahan."""
    try:
        if path.is_dir():
            catalog = load_catalog(path)
            click.echo(f"OK {display_path(catalog.roles.source or path)} "
                       f"({len(catalog.roles)} peran)")
            for sop in catalog.all():
                click.echo(f"OK {display_path(path / (sop.code + '.yaml'))} "
                           f"({sop.code}, {len(sop.steps)} langkah, {sop.content_hash[:12]})")
        elif path.name == ROLES_FILENAME:
            registry = load_roles(path)
            click.echo(f"OK {display_path(path)} ({len(registry)} peran)")
        else:
            sibling = path.parent / ROLES_FILENAME
            registry = load_roles(sibling) if sibling.exists() else default_registry()
            sop = load_sop_file(path, registry)
            click.echo(f"OK {display_path(path)} ({sop.code}, {len(sop.steps)} langkah, "
                       f"{sop.content_hash[:12]})")
    except SopValidationError as exc:
        click.echo(f"GAGAL {exc}", err=True)
        sys.exit(1)


@sop_group.command("publish")
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=None,
              help="Folder arsip versi (bawaan: sop/versions).")
@click.pass_context
def publish_cmd(ctx: click.Context, directory: Path | None) -> None:
    """Arsipkan versi SOP saat ini (JSON kanonik per hash isi)."""
    try:
        results = publish_versions(_catalog(ctx), directory)
    except SopValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    for r in results:
        state = "baru" if r.created else "sudah ada"
        click.echo(f"{r.code:<16} versi {r.version:<10} {r.content_hash[:12]}  {state}  "
                   f"{display_path(r.path)}")


@sop_group.command("html")
@click.argument("code")
@click.option("--office", "office_path", type=click.Path(exists=True, path_type=Path),
              default=None, help="Berkas konfigurasi kantor (bawaan: sop/office/genteng.yaml).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Tulis ke berkas ini (bawaan: stdout).")
@click.pass_context
def html_cmd(ctx: click.Context, code: str, office_path: Path | None,
             output: Path | None) -> None:
    """Lembar SOP siap cetak (HTML, A4)."""
    from sop.render import render_html

    catalog = _catalog(ctx)
    if code not in catalog:
        raise click.ClickException(f"SOP tidak dikenal: '{code}'")
    try:
        office = load_office(office_path)
    except SopValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    html = render_html(catalog.get(code), office)
    if output is None:
        click.echo(html)
    else:
        output.write_text(html, encoding="utf-8")
        click.echo(f"Ditulis: {display_path(output)}")


def main() -> None:  # pragma: no cover - thin entry point
    sop_group()
