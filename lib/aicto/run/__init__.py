"""Running the reports: the warm kernels, one client's run, the batch over a portfolio, publishing a client's
folder atomically, fingerprints that skip unchanged clients, and the portfolio page.

Imports every layer below (present, model, profile, text); only `aicto.cli`, `aicto.consultant` and `aicto.usage`
sit above it.
"""
