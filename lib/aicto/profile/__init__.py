"""The client's profile and the playbook's data: the schema, reading YAML, the problems a file can have, the
assumptions with their sources, the activity library and the price data.

Imports only `aicto.text`. The schema stands alone: checks that need a model (the route's plan fits the
engagement) run in `aicto.model.validation`, above both.
"""
