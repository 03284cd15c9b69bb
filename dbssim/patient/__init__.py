"""The virtual patient.

Anatomy, rating scales, response, time course, exam, scenarios, review, evaluation and the
expert search; numpy and pydantic only.
"""
