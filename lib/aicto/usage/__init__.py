"""The client's real LLM usage, read from provider and gateway exports, for `aicto import-usage`.

One module per export format (openai_usage, anthropic_usage, litellm, otel) turns a file into `UsageRecord`s, read
as a stream so a file of millions of records needs little memory; `formats` picks the module; `aggregate` sums the
records by month, provider, model and project; `plan` turns the sums into profile workloads, history and growth;
`write` puts them into the client's YAML file.

Above run/, beside consultant/ (neither imports the other): it reads the profile and the model's prices.
"""
