"""One HTML scanner for the hostile-input tests: finds scripts, event handlers and dangerous
URLs in what the portal rendered."""

from __future__ import annotations

from html.parser import HTMLParser

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}


class Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.bad_urls: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "(inline)")
        for name, value in attrs:
            self.attributes.append((tag, name))
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")
            if name in URL_ATTRIBUTES and value:
                squeezed = "".join(value.split()).lower()
                if squeezed.startswith(DANGEROUS_SCHEMES):
                    self.bad_urls.append(value)


def scan(html: str) -> Scanner:
    scanner = Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner
