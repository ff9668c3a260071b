"""Item pipelines of newsclean: extract and clean articles, drop duplicates, write Parquet."""
