"""Use cases of the queue service, one module per job."""
