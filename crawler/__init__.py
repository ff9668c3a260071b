"""The Scrapy project of newsclean: settings, sites file, discovery, items and the `news` spider."""
