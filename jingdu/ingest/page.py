"""An HTML page to a document: WeChat articles go to :mod:`jingdu.ingest.wechat`, every other
page to :mod:`jingdu.ingest.news`; both build on the walker of :mod:`jingdu.ingest.html`."""

from __future__ import annotations

from jingdu.ingest.html import is_wechat, parse_html
from jingdu.ingest.news import read_news
from jingdu.ingest.wechat import read_wechat
from jingdu.model import Doc


def read_html(html: str, url: str = "", note_id: str = "") -> Doc:
    """Read an HTML page into a :class:`~jingdu.model.Doc`; non-articles raise ``NotAnArticle``."""
    root = parse_html(html)
    if is_wechat(html, url):
        return read_wechat(root, html, url=url, note_id=note_id)
    return read_news(root, html, url=url, note_id=note_id)
