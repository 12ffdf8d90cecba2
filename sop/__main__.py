"""``python -m sop ...``."""

from sop.cli import main

main()
