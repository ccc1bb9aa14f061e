"""What the notebooks display: HTML fragments and figures built from lib results, with all client text escaped."""
