"""siaga.planning: the deployment-planning engine, a pure library (numpy, scipy, OR-Tools; no Django).

Build a :class:`~siaga.planning.model.Problem`, call :func:`~siaga.planning.solve.solve`, get a
:class:`~siaga.planning.model.Plan` that serialises to ``plan.json`` (schema ``siaga.plan/1``).
"""
