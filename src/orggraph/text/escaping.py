"""Text made safe for where it goes: JSON inside an HTML ``<script>`` element, text inside XML."""

from __future__ import annotations

import json
import re

__all__ = ["NOT_XML", "script_safe_json"]

# characters XML 1.0 cannot hold, not even as character references
NOT_XML = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff\\ud800-\\udfff]")


def script_safe_json(value: object) -> str:
    """JSON that cannot end the ``<script>`` element it is embedded in, nor start markup.

    >>> script_safe_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
