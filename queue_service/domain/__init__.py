"""Queue domain: plain Python, no Flask, SQLAlchemy or Redis."""
