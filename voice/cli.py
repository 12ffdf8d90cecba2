"""`loket voice …`: speak text or a whole call to a WAV file, list and check a voice pack."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from voice import (
    VoiceError,
    VoiceSettingsError,
    call_wav,
    load_settings,
    say_wav,
    source_for,
)
from voice.audio import measure_wav
from voice.pack import check_pack
from voice.segments import pack_segments


def _settings(engine: str | None) -> object:
    try:
        settings = load_settings()
        if engine:
            settings = dataclasses.replace(settings, engine=engine)
    except VoiceSettingsError as exc:
        raise click.UsageError(str(exc)) from exc
    return settings


def _write(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    m = measure_wav(data)
    click.echo(f"{out}: {m.seconds:.2f} s, speech {m.voiced_seconds:.2f} s, RMS {m.rms:.0f}")


_ENGINE = click.option(
    "--engine", default=None, help="auto, library, program or package.module:factory "
    "(default: LOKET_VOICE_ENGINE)."
)


@click.group("voice")
def voice_group() -> None:
    """Offline Indonesian voice: calls for the TV, prompts for the kiosk."""


@voice_group.command("say")
@click.argument("text")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@_ENGINE
def say_cmd(text: str, out: Path, engine: str | None) -> None:
    """Speak TEXT with the configured engine into a WAV file."""
    try:
        data = say_wav(text, _settings(engine))  # type: ignore[arg-type]
    except (VoiceError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    _write(out, data)


@voice_group.command("call")
@click.argument("number")
@click.argument("counter", type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--recall", is_flag=True, help="Say the phrase once more, as a recall does.")
@_ENGINE
def call_cmd(number: str, counter: int, out: Path, recall: bool, engine: str | None) -> None:
    """Render the call of ticket NUMBER to COUNTER as the TV plays it (e.g. A001 2)."""
    try:
        data = call_wav(number.upper(), counter, _settings(engine), recall=recall)  # type: ignore[arg-type]
    except (VoiceError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    _write(out, data)


@voice_group.command("segments")
@click.option("--counters", default=20, show_default=True, help="Highest counter number.")
def segments_cmd(counters: int) -> None:
    """List the files a recorded-voice pack may hold, with what each one says."""
    for seg in pack_segments(counters):
        click.echo(f"{seg.key}.wav\t{seg.text or '(bunyi bel / chime)'}")


@voice_group.command("warm")
@click.option("--counters", default=20, show_default=True, help="Highest counter number.")
@_ENGINE
def warm_cmd(counters: int, engine: str | None) -> None:
    """Synthesise every segment into the cache now, so the hall's first call is instant."""
    settings = _settings(engine)
    source = source_for(settings)  # type: ignore[arg-type]
    try:
        for seg in pack_segments(counters):
            source.segment(seg)
    except VoiceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{len(pack_segments(counters))} segments ready, {source.syntheses} synthesised "
               f"now, in {settings.cache_dir}")  # type: ignore[attr-defined]


@voice_group.command("check-pack")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--counters", default=20, show_default=True, help="Highest counter number.")
def check_pack_cmd(folder: Path, counters: int) -> None:
    """Check a recorded-voice pack: unusable files fail; missing ones use the engine."""
    report = check_pack(folder, counters)
    click.echo(f"recorded: {len(report.present)}, from the engine: {len(report.missing)}")
    for key in report.missing:
        click.echo(f"  missing (engine speaks it): {key}.wav")
    for name in report.unknown:
        click.echo(f"  not used by any call: {name}")
    for problem in report.problems:
        click.echo(f"  UNUSABLE {problem}", err=True)
    if not report.ok:
        raise SystemExit(1)
