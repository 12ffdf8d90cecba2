"""Settings: typed, strict, one clear line and exit code 2 on a bad value."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from loket.settings import SettingsError, load_settings

pytestmark = pytest.mark.unit


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path):
    for key in list(os.environ):
        if key.startswith("LOKET_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("LOKET_DATABASE_URL", "mysql://db/x", "unsupported database 'mysql'"),
        ("LOKET_DATABASE_URL", "not a url", "not a database URL"),
        ("LOKET_REDIS_URL", "http://localhost:6379", "must start with redis://"),
        ("LOKET_REDIS_URL", "redis://localhost:99999/0", "port is not a number"),
        ("LOKET_PORT", "delapan ribu", "valid integer"),
        ("LOKET_ENV", "staging", "LOKET_ENV"),
        ("LOKET_APPS", "queue,printer", "unknown app"),
    ],
)
def test_bad_setting_names_the_variable(clean_env, variable, value, expected):
    clean_env.setenv(variable, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert message.startswith(variable + ":")
    assert expected in message
    assert "\n" not in message


def test_bad_database_url_exits_2_with_one_line(clean_env):
    env = {**os.environ, "LOKET_DATABASE_URL": "mysql://db/x"}
    result = subprocess.run([sys.executable, "-m", "loket", "check-config"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "LOKET_DATABASE_URL" in lines[0]
    assert "Traceback" not in result.stderr


def test_unreachable_database_exits_2_with_one_line(clean_env, tmp_path):
    env = {**os.environ, "LOKET_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none",
           "LOKET_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "loket", "db", "upgrade"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("loket: LOKET_DATABASE_URL: cannot connect")


def test_unreachable_redis_url_stops_run_with_one_line(clean_env, tmp_path):
    env = {**os.environ, "LOKET_REDIS_URL": "redis://127.0.0.1:1/0",
           "LOKET_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "loket", "run"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "LOKET_REDIS_URL" in result.stderr


def test_development_generates_and_keeps_secrets(clean_env, tmp_path):
    settings = load_settings(var_dir=tmp_path / "var")
    first = settings.secret("secret_key")
    again = load_settings(var_dir=tmp_path / "var").secret("secret_key")
    assert first == again and len(first) >= 32
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


_RACE = """
import os, sys, threading, time
from cryptography.fernet import Fernet
from loket.settings import load_settings
start = float(sys.argv[2])
keys = {}
def one(var):
    keys.setdefault(var, set()).add(load_settings(var_dir=var).secret("data_key"))
time.sleep(max(0.0, start - time.time()))  # the processes start their rounds together
for round_ in range(40):
    var = os.path.join(sys.argv[1], str(round_))
    threads = [threading.Thread(target=one, args=(var,)) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
for var, found in sorted(keys.items()):
    assert len(found) == 1, (var, found)
    for key in found:
        Fernet(key.encode())  # a usable key, never an empty or half-written one
    print(var, *found)
"""


def test_web_workers_starting_together_all_get_one_data_key(clean_env, tmp_path):
    """A fresh install: the web workers' first requests race to generate the data key. Every
    thread of every process gets the same complete key, and it is the one kept on disk (a
    second key would leave data encrypted with the first unreadable). 40 fresh installs, each
    raced by 3 processes of 6 threads."""
    import time

    start = str(time.time() + 3.0)
    runs = [subprocess.Popen([sys.executable, "-c", _RACE, str(tmp_path), start],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err[-2000:] for _, err in outputs]
    seen: dict[str, set[str]] = {}
    for out, _ in outputs:
        for line in out.splitlines():
            var, key = line.split()
            seen.setdefault(var, set()).add(key)
    assert len(seen) == 40
    for var, keys in seen.items():
        path = tmp_path / var / "data_key"
        assert keys == {path.read_text().strip()}, var
        assert sorted(p.name for p in path.parent.iterdir()) == ["data_key"]  # no temp file
        assert path.stat().st_mode & 0o077 == 0


def test_production_refuses_placeholder_secrets(clean_env):
    clean_env.setenv("LOKET_ENV", "production")
    clean_env.setenv("LOKET_SECRET_KEY", "change-me")
    with pytest.raises(SettingsError, match="LOKET_SECRET_KEY"):
        load_settings()


def test_production_with_real_secrets_starts(clean_env):
    clean_env.setenv("LOKET_ENV", "production")
    clean_env.setenv("LOKET_SECRET_KEY", "k" * 48)
    clean_env.setenv("LOKET_DATA_KEY", "d" * 44)
    clean_env.setenv("LOKET_DATABASE_URL", "postgresql://loket:pw@db:5432/loket")
    clean_env.setenv("LOKET_REDIS_URL", "redis://redis:6379/0")
    settings = load_settings()
    assert settings.effective_database_url.startswith("postgresql+psycopg://")
