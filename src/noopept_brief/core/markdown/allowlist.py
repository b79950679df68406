"""The domains the brief may link to, and URLs read the way a browser reads them.

The allowlist is one file, ``allowed-domains.txt`` beside this module: a
domain a line, each with the reason the brief needs it. Everything else is
refused. Before a URL is compared with the list it is read as a browser reads
it (the WHATWG URL standard, for what matters here): tabs and newlines
anywhere are dropped, the scheme's case does not count, backslashes are
slashes, any number of slashes may follow ``https:``, user-info
(``user@host``) hides the real host, the host is percent-decoded and mapped
through IDNA (UTS 46: full-width letters, ideographic full stops, upper case),
a trailing dot names the same host, and an IP address in any notation is a
host too. So ``https://%61mazon.com``, ``HTTPS:\\\\doi.org@evil.example`` and
``https://xn--mazon-3ve.com`` (shown to readers as "amazon.com" with a Cyrillic "a") are all read
for what they are, and refused.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes

#: The allowlist file (in the package; a change to it needs review).
ALLOWED_DOMAINS_FILE = Path(__file__).with_name("allowed-domains.txt")
#: The one scheme a link may leave the site by.
EXTERNAL_SCHEMES = frozenset({"https"})
#: Longest URL the checks read; longer ones are refused, not parsed.
MAX_URL = 4096

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_CONTROL = re.compile(r"[\t\n\r]")
# An IPv4 address in any notation browsers accept (decimal, octal, hex, short).
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$")


@dataclass(frozen=True)
class Entry:
    """One allowlist entry: a domain (and its subdomains), or a host and path."""

    host: str
    path: str
    reason: str
    line: int


@cache
def allowed_domains(path: Path = ALLOWED_DOMAINS_FILE) -> tuple[Entry, ...]:
    """The allowlist, in file order.

    >>> [e.host for e in allowed_domains()][:2]
    ['doi.org', 'ncbi.nlm.nih.gov']
    """
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        target, _, reason = line.partition("#")
        if not target.strip():
            continue
        host, _, rest = target.strip().partition("/")
        entries.append(
            Entry(host.lower(), "/" + rest if rest else "", reason.strip(), number)
        )
    return tuple(entries)


class UrlError(ValueError):
    """A URL that no check can trust; the message says why."""


@dataclass(frozen=True)
class Url:
    """A URL as a browser reads it: scheme ("" inside the site), host, port, path."""

    scheme: str
    host: str = ""
    port: str = ""
    path: str = ""

    @property
    def external(self) -> bool:
        return bool(self.scheme)


def read_url(url: str) -> Url:
    """Read ``url`` as a browser would; raise :class:`UrlError` if it hides its host.

    >>> read_url("HTTPS://DOI.org./10.1/x")
    Url(scheme='https', host='doi.org', port='', path='/10.1/x')
    >>> read_url("https://%64oi.org/x").host
    'doi.org'
    >>> read_url("https:\\\\\\\\doi.org\\\\x").host
    'doi.org'
    >>> read_url("java\\nscript:alert(1)").scheme
    'javascript'
    >>> read_url("//evil.example/").host
    'evil.example'
    >>> read_url("03-systems-context.html#erk")
    Url(scheme='', host='', port='', path='03-systems-context.html')
    >>> try:
    ...     read_url("https://doi.org@evil.example/")
    ... except UrlError as error:
    ...     print(error)
    it has user-info before an @, which hides the real host
    """
    if len(url) > MAX_URL:
        raise UrlError(f"it is longer than {MAX_URL} characters")
    # WHATWG: strip leading and trailing C0 controls and spaces; drop tab and
    # newline anywhere.
    text = _CONTROL.sub(
        "",
        url.strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
        ),
    )
    match = _SCHEME.match(text)
    if match:
        scheme, rest = match[1].lower(), text[match.end() :]
    elif text.startswith(("//", "\\\\", "/\\", "\\/")):
        scheme, rest = "https", text  # protocol-relative: the page's own scheme
    else:
        path = re.split(r"[?#]", text, maxsplit=1)[0]
        return Url("", path=path)
    if scheme not in ("http", "https", "ftp", "ws", "wss"):
        return Url(scheme, path=rest)
    rest = rest.replace("\\", "/").lstrip("/")
    authority, _, path = rest.partition("/")
    authority = re.split(r"[?#]", authority, maxsplit=1)[0]
    if "@" in authority:
        raise UrlError("it has user-info before an @, which hides the real host")
    if authority.startswith("["):
        raise UrlError("its host is an IP address, not a domain")
    host, _, port = authority.partition(":")
    return Url(scheme, _read_host(host), port, "/" + re.split(r"[?#]", path)[0])


def _read_host(host: str) -> str:
    import idna

    try:
        decoded = unquote_to_bytes(host).decode("utf-8")
    except UnicodeDecodeError:
        raise UrlError("its host is not valid UTF-8 once percent-decoded") from None
    try:
        ascii_host = idna.encode(decoded, uts46=True, transitional=False).decode()
    except (idna.IDNAError, UnicodeError, ValueError) as error:
        raise UrlError(f"its host is not a valid domain name ({error})") from None
    ascii_host = ascii_host.lower().rstrip(".")
    labels = ascii_host.split(".")
    if _NUMERIC_LABEL.match(labels[-1]):
        raise UrlError("its host is an IP address, not a domain")
    return ascii_host


def shown_host(host: str) -> str:
    """The host as readers see it: punycode labels decoded.

    >>> shown_host("xn--mazon-3ve.com") == "\\N{CYRILLIC SMALL LETTER A}mazon.com"
    True
    """
    import idna

    try:
        return idna.decode(host)
    except (idna.IDNAError, UnicodeError, ValueError):
        return host


def allowed_entry(host: str, path: str = "/") -> Entry | None:
    """The allowlist entry that lets a link go to ``host`` and ``path``, or None.

    >>> allowed_entry("pubmed.ncbi.nlm.nih.gov").host
    'ncbi.nlm.nih.gov'
    >>> allowed_entry("github.com", "/pradyunsg/furo") is not None
    True
    >>> allowed_entry("github.com", "/pradyunsg/furo/../../evil/x") is None
    True
    >>> allowed_entry("evil-doi.org") is None
    True
    """
    clean = posixpath.normpath("/" + unquote(path).lstrip("/"))
    for entry in allowed_domains():
        if entry.path:
            if host == entry.host and (
                clean == entry.path or clean.startswith(entry.path + "/")
            ):
                return entry
        elif host == entry.host or host.endswith("." + entry.host):
            return entry
    return None


ALLOWLIST_FIX = (
    "The brief links only to the research record (doi.org, PubMed, "
    "publishers) and to regulators, listed with their reasons in "
    "src/noopept_brief/core/markdown/allowed-domains.txt: link there instead, or ask "
    "a maintainer to review a new entry."
)


def refused_url(url: str, base_url: str | tuple[str, ...] = "") -> str | None:
    """Why the site must not link to ``url`` (a sentence with the fix), or None.

    Links inside the site pass; so do https links to an allowed domain, and
    links under ``base_url`` (the site's own canonical address, and the
    repository's "edit" and "view source" links that conf.py configures; one
    prefix or a tuple of them).

    >>> refused_url("https://pubmed.ncbi.nlm.nih.gov/19240853/") is None
    True
    >>> refused_url("01-overview.html#claim-origin") is None
    True
    >>> print(ascii(refused_url("https://xn--mazon-3ve.com/x"))[1:-1])
    the link https://xn--mazon-3ve.com/x goes to xn--mazon-3ve.com (shown to \
readers as \\u0430mazon.com), which is not on the allowlist. The brief links only \
to the research record (doi.org, PubMed, publishers) and to regulators, \
listed with their reasons in src/noopept_brief/core/markdown/allowed-domains.txt: \
link there instead, or ask a maintainer to review a new entry.
    >>> print(refused_url("http://doi.org/10.1/x"))
    the link http://doi.org/10.1/x is not https. Write it as \
https://doi.org/10.1/x (check that it loads), or remove it.
    """
    own = tuple(
        p for p in ((base_url,) if isinstance(base_url, str) else base_url) if p
    )
    if own and url.startswith(own):
        return None
    try:
        parsed = read_url(url)
    except UrlError as error:
        return f"the link {url!r} cannot be trusted: {error}. {ALLOWLIST_FIX}"
    if not parsed.external:
        return None
    if parsed.scheme not in EXTERNAL_SCHEMES:
        if parsed.scheme == "http":
            return (
                f"the link {url} is not https. Write it as "
                f"https://{url.strip().split('://', 1)[-1]} (check that it "
                "loads), or remove it."
            )
        return (
            f"the link {url!r} uses the scheme {parsed.scheme}:, which runs "
            "code, smuggles content or leaves the web. Only https links are "
            "allowed: remove it, or link to an https page."
        )
    if parsed.port not in ("", "443"):
        return (
            f"the link {url} names the port {parsed.port}. Link to the site's "
            "ordinary https address, without a port."
        )
    if allowed_entry(parsed.host, parsed.path) is None:
        shown = shown_host(parsed.host)
        seen = f" (shown to readers as {shown})" if shown != parsed.host else ""
        return (
            f"the link {url} goes to {parsed.host}{seen}, which is not on the "
            f"allowlist. {ALLOWLIST_FIX}"
        )
    return None
