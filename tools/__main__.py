"""Allow ``python -m tools``."""

from tools.cli import main

raise SystemExit(main())
