"""The workflow's use cases, one job per module (opening, actions, escalations, documents, ...).

Each public function takes a :class:`~workflow_service.usecases.context.WorkflowContext` (or a
:class:`~workflow_service.usecases.context.UnitOfWork` when it is a step inside a bigger job)
and returns plain data; the rules themselves live in :mod:`workflow_service.domain`.
"""
