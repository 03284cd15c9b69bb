"""Alembic environment of the session store; :func:`dbssim.store.service.Store.open` runs it.

New revisions go in ``versions/`` (``alembic revision`` with ``script_location`` set to
this folder, or by hand following ``r0001_initial.py``).
"""
