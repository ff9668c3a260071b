"""newsclean's additions to the ``scrapy`` command line (``COMMANDS_MODULE``)."""
