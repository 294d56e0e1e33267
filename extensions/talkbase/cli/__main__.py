"""``python -m talkbase.cli``: the same as the ``talkbase`` command."""

import sys

from talkbase.cli import main

sys.exit(main())
