"""Hardware and tissue physics.

Leads, devices, fields, activation, VTA, safety and programs; numpy and pydantic only.
"""
