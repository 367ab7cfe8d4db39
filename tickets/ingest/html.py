"""HTML from mail made safe to show and readable as text, because mail HTML is untrusted."""
from __future__ import annotations

import re
from html.parser import HTMLParser

_TAGS = {
    "a", "abbr", "b", "big", "blockquote", "br", "caption", "center", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol",
    "p", "pre", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "tt", "u", "ul",
}
_ATTRIBUTES = {
    "*": {"title", "dir", "lang", "align"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "font": {"color", "face", "size"},
    "table": {"border", "cellpadding", "cellspacing", "width"},
    "td": {"colspan", "rowspan", "valign", "width"},
    "th": {"colspan", "rowspan", "valign", "width"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "type"},
}
_SAFE_HREF = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)
_SAFE_IMG = re.compile(r"^(cid:|data:image/(png|jpeg|jpg|gif|webp|bmp);)", re.IGNORECASE)


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Keep links to web/mail only and images that are embedded in the message."""
    if element == "img" and attribute == "src":
        return value if _SAFE_IMG.match(value.strip()) else None
    if attribute == "href":
        return value if _SAFE_HREF.match(value.strip()) else None
    return value


def sanitize_html(html: str) -> str:
    """HTML safe to show to staff: no scripts, styles, frames, handlers or remote images."""
    import nh3

    if not html or not html.strip():
        return ""
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style", "title", "head", "iframe", "object", "noscript", "template"},
        attributes=_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto", "cid", "data"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


_BLOCK = {
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
    "p", "pre", "section", "table", "tr", "ul", "caption", "tbody", "thead", "tfoot",
}
_SKIP = {"script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}


class _TextExtractor(HTMLParser):
    """Collects text, turning block elements into line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0

    def _newline(self, count: int = 1) -> None:
        """Make sure the text ends with at least `count` line breaks (blocks do not stack blank lines)."""
        tail = "".join(self.chunks[-4:])
        have = len(tail) - len(tail.rstrip("\n")) if tail.strip(" ") else count
        if have < count:
            self.chunks.append("\n" * (count - have))

    def _break(self) -> None:
        """A <br>: always one more line break."""
        self.chunks.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if tag == "br":
            self._break()
        elif tag == "li":
            self._newline()
            self.chunks.append("- ")
        elif tag in ("td", "th"):
            self.chunks.append("\t")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.chunks.append("[%s]" % alt)
        elif tag in _BLOCK:
            self._newline(2 if tag in ("p", "h1", "h2", "h3", "table", "blockquote") else 1)
        if tag == "pre":
            self.pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        if tag in _BLOCK:
            self._newline(2 if tag in ("p", "h1", "h2", "h3", "table", "blockquote") else 1)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if not self.pre_depth:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self.chunks.append(data)


def html_to_text(html: str) -> str:
    """Readable plain text from HTML, with line breaks where the blocks were."""
    if not html:
        return ""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient, but never let markup break ingestion
        return re.sub(r"<[^>]*>", " ", html)
    text = "".join(parser.chunks).replace("\xa0", " ")
    lines = [line.rstrip() if line.strip() else "" for line in text.split("\n")]
    lines = [re.sub(r"^ +", "", line) if "\t" not in line else line.strip() for line in lines]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
