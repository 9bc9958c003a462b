"""`python3 -m app`: run the API server."""

import sys

from .server import main

sys.exit(main())
