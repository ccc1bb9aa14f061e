"""The engagement computed once: readiness, costs and the AI bill, capacity, the roadmap, the ROI, progress, the
transition, the consultant's checks, and the validation step that needs them.

Imports `aicto.profile` and `aicto.text`; never presents or runs anything. Every report reads these results.
"""
