from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

extensions = ["myst_parser", "talkbase", "shout"]
html_theme = "basic"
project = "empty options"
