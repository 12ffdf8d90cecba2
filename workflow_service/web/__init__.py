"""HTTP blueprints of the workflow service."""
