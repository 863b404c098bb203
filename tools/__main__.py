"""Allow ``python -m tools``."""

from tools.cli import main

if __name__ == "__main__":  # a worker process of a spawn-based pool imports this module too
    raise SystemExit(main())
