"""Spiders of newsclean: ``news`` crawls the sites of a sites file."""
