"""Kivy screens: one .kv (layout) + one small .py (Kivy properties and glue) per screen."""
