"""Settings modules: ``local``, ``production``, ``test`` and ``benchmark``, built on ``base``."""
