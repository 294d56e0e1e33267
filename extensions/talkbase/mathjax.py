"""Math that renders offline: MathJax shipped with talkbase instead of Sphinx's CDN.

Sphinx's HTML builders render math with ``sphinx.ext.mathjax``, which loads MathJax
from a CDN: opened without a network, every formula shows as its TeX source. talkbase
ships MathJax 3.2.2 (``vendor/mathjax``, from the npm registry by
``scripts/vendor-mathjax.sh``) and points ``mathjax_path`` at the copy it puts in the
output, so MathJax reads the markup Sphinx wrote with no request leaving the site.
Sphinx itself still decides which pages load the script (only those with math), and
the LaTeX builder still receives math as math.

When in the build:

* ``config-inited``: a ``mathjax_path`` the author did not set (still Sphinx's CDN
  URL) becomes the local copy's path, relative to ``_static``. Done before Sphinx
  compares the configuration with the pickled one, so an incremental build sees the
  same value as the previous one. ``talkbase_offline_math = False`` keeps the CDN.
* ``builder-inited`` (HTML builders but EPUB, whose math renderer is MathJax): the copy is
  written to ``_static/talkbase-mathjax/`` when ``mathjax_path`` still names it.
  Before any page is written, so every page's ``<script>`` gets Sphinx's ``?v=``
  checksum in a clean build as in an incremental one. Which pages have math is only
  known while each is written, so the copy is made for every such build (2 MB); a file
  the output already holds as it is (same size and modification time, which the copy
  keeps) is not copied again, so a rebuild writes nothing there.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.ext.mathjax import MATHJAX_URL

from talkbase.cite.block import is_web_builder

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The MathJax files talkbase ships (version in ``VERSION``, licence in ``LICENSE``).
VENDOR_DIR = Path(__file__).parent / "vendor" / "mathjax"
#: Where the copy goes, under the output's ``_static``.
STATIC_NAME = "talkbase-mathjax"
#: ``mathjax_path`` for the copy; Sphinx reads a relative path as relative to ``_static``.
LOCAL_PATH = f"{STATIC_NAME}/tex-mml-chtml.js"


def use_local_copy(app: Sphinx, config: Config) -> None:
    """Point an unset ``mathjax_path`` at the shipped copy (``config-inited``)."""
    if not config.talkbase_offline_math or "mathjax_path" not in config:
        return
    # Sphinx's own default: the one value an author who set nothing has.
    if config.mathjax_path == MATHJAX_URL:
        config.mathjax_path = LOCAL_PATH


def copy_mathjax(app: Sphinx) -> None:
    """Write the copy into the output's ``_static`` (``builder-inited``, HTML builders).

    Only where a page can load it: an HTML builder whose math renderer is MathJax,
    with ``mathjax_path`` still naming the copy (an author's own path is kept).
    """
    # EPUB pages load no script: Sphinx's EPUB templates leave them out.
    if not is_web_builder(app.builder):
        return
    if getattr(app.builder, "math_renderer_name", None) != "mathjax":
        return
    if app.config.mathjax_path != LOCAL_PATH:
        return
    shutil.copytree(
        VENDOR_DIR, Path(app.builder.outdir) / "_static" / STATIC_NAME, copy_function=_copy_changed, dirs_exist_ok=True
    )


def _copy_changed(source: str, target: str) -> str:
    """``shutil.copy2``, unless ``target`` is already the copy ``copy2`` made of ``source``."""
    try:
        theirs, ours = Path(source).stat(), Path(target).stat()
    except OSError:  # no copy yet
        pass
    else:
        if theirs.st_size == ours.st_size and theirs.st_mtime_ns == ours.st_mtime_ns:
            return target
    return str(shutil.copy2(source, target))


def setup(app: Sphinx) -> None:
    app.connect("config-inited", use_local_copy)
    app.connect("builder-inited", copy_mathjax)
