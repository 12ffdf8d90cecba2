"""The workflow's HTTP layer: thin blueprints (parse → one use case → respond)."""
