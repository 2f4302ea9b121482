"""Entry point for ``python -m jwmetrics``."""

import signal
import sys

from jwmetrics.cli.main import main

if hasattr(signal, "SIGPIPE"):  # `python -m jwmetrics status | head` should end quietly
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
sys.exit(main())
