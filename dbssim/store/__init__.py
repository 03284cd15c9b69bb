"""Persistence of sessions, cases and classes (SQLAlchemy Core, Alembic migrations).

Modules: ``service`` (:class:`~dbssim.store.service.Store`, joining the others),
``connection`` (engine, transactions, the injected scorer), ``cases``, ``classes``,
``sessions`` (action logs and the atomic finish), ``live_session`` (a session whose every
action is saved), ``records`` (what the store hands back and checks), ``results_table``
(scores and formula-safe CSV), ``database`` (engines, migration), ``sql_tables``.
"""
