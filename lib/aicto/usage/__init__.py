"""The client's real LLM usage, read from provider and gateway exports, for `aicto import-usage`.

One module per export format (openai_usage, anthropic_usage, litellm, otel) turns a file into `UsageRecord`s, read
as a stream so a file of millions of records needs little memory; `formats` picks the module; `aggregate` sums the
records by month, provider, model and project; `plan` turns the sums into profile workloads, history and growth;
`write` puts them into the client's YAML file.
"""
