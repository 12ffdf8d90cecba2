"""Use cases of the workflow service, one module per job."""
