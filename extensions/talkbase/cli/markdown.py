"""Turning untrusted programme text into inert MyST Markdown.

Abstracts, biographies and titles come from whoever submitted a talk. They are
written as plain text: every character that could start Markdown or MyST syntax
(roles ``{raw}``, directives, HTML, links, code, comments, targets, math) is
backslash-escaped, so a programme can never inject a directive, raw HTML or an
include into the knowledge base.
"""

from __future__ import annotations

import re

#: Characters that start inline syntax anywhere in a line (CommonMark allows
#: escaping any ASCII punctuation with a backslash).
_INLINE = re.compile(r"([\\`*_{}\[\]<>&$|~^])")
#: Line starts that begin a block: headings, quotes, lists, fences, comments,
#: targets ``(x)=``, thematic breaks, tables, directive options.
_BLOCK_START = re.compile(r"^([#>+\-=:%(|!.])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_inline(text: str) -> str:
    """One line of plain text as Markdown (no line breaks, no syntax)."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return _escape_line(text)


def _escape_line(line: str) -> str:
    line = _INLINE.sub(r"\\\1", line)
    line = _BLOCK_START.sub(r"\\\1", line)
    return _ORDERED.sub(r"\1\\\2", line)


def paragraphs(text: str) -> list[str]:
    """Plain text as Markdown paragraphs: blank lines separate paragraphs, line
    breaks inside one are kept as soft breaks, leading indentation is dropped.
    """
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    result = []
    for block in re.split(r"\n\s*\n", text):
        lines = [_escape_line(" ".join(line.split())) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            result.append("\n".join(lines))
    return result


def link(title: str, url: str) -> str:
    """A Markdown link to an already checked http(s) URL."""
    safe_url = url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return f"[{escape_inline(title) or escape_inline(url)}](<{safe_url}>)"
