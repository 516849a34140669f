#!/usr/bin/env python
"""Developer shortcut: the same as the ``ipoffice`` console command."""

from ipoffice.cli import main

if __name__ == "__main__":
    main()
