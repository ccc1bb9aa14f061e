"""aicto: the fractional AI CTO playbook as a library.

Domain code (profile, readiness, costs, roi, roadmap) is pure and typed; notebooks call it and only display.
"""

__version__ = "0.1.0"
