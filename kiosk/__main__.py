"""``python -m kiosk`` starts the touchscreen kiosk."""

import sys

from kiosk.settings import KioskSettings, SettingsError


def main() -> int:
    try:
        settings = KioskSettings.from_env()
    except SettingsError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    from kiosk.app import run

    run(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
