"""One module per section of a page: thin views over library results, used by ``pages/``."""
