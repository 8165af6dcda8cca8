#!/usr/bin/env python3
"""A scripted stand-in for the user's web browser, for Sextant's OAuth tests.

Sextant opens the authorization URL with `$BROWSER URL`; tests set BROWSER to this script (extra
arguments go before the URL). It plays the user at the test OpenID provider (tests/servers/oidc,
oidc-provider's built-in login and consent pages) with plain HTTP and cookies:

    test_browser.py [--deny] [--user NAME --password PW] [--log FILE] URL
    test_browser.py --device-code USERCODE [--deny] [--user ..] [--log FILE] VERIFICATION_URL
    test_browser.py --stop-at PREFIX [--deny] [--user ..] [--log FILE] URL

Authorization code flow: GET URL, follow redirects, submit the login form (alice / wonderland by
default) and the consent form (or follow the "Cancel" link with --deny), until the provider
redirects to an http://127.0.0.1 or http://localhost URL on another port than its own: the app's
loopback callback. That URL is fetched, its page's text is printed, and the exit status is 0.
With --stop-at PREFIX, the first URL the provider sends the browser to that starts with PREFIX
(an https:// redirect URI the app's own window would catch, say) is printed instead of fetched,
and the exit status is 0.

Device flow (--device-code): enter the user code on the verification page, confirm it (or abort
with --deny), log in, consent, and stop at the provider's success page (exit 0).

With --log FILE, every URL requested is appended to FILE, one a line. Any page that is not what
a step expects ends the run with a message on stderr and exit status 1 (2 for bad arguments).
Stdlib only, so it runs from any Python 3.8+.
"""

import argparse
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar

MAX_STEPS = 40
TIMEOUT = 30
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


class Failure(Exception):
    """The page was not what this step expected."""


class Page(HTMLParser):
    """The forms, links and visible text of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # {"id", "action", "method", "fields": [(name, value)]}
        self.outside = []  # (form id, name, value) of inputs and buttons tied by form="..."
        self.buttons = []  # (form id or None, name, value)
        self.links = []
        self.text = []
        self._form = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "form":
            self._form = {
                "id": a.get("id", ""),
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
        elif tag == "input" and "name" in a:
            owner = a.get("form")
            item = (a["name"], a.get("value", ""), a.get("type", "text").lower())
            if owner:
                self.outside.append((owner,) + item)
            elif self._form is not None:
                self._form["fields"].append(item)
        elif tag == "button":
            owner = a.get("form") or (self._form["id"] if self._form else None)
            self.buttons.append((owner, a.get("name"), a.get("value", "")))
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data.strip())

    def fields(self, form):
        out = list(form["fields"])
        if form["id"]:
            out += [(n, v, t) for owner, n, v, t in self.outside if owner == form["id"]]
        return out

    def find_form(self, predicate):
        for form in self.forms:
            if predicate(form, {n: v for n, v, _ in self.fields(form)}):
                return form
        return None

    def visible_text(self):
        return "\n".join(self.text)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as responses, so each hop can be checked and logged."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def origin(url):
    p = urllib.parse.urlsplit(url)
    port = p.port or (443 if p.scheme == "https" else 80)
    return (p.scheme, (p.hostname or "").lower(), port)


class Browser:
    def __init__(self, args):
        self.args = args
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirects()
        )
        self.provider = origin(args.url)
        self.logged_in = False
        self.code_entered = False

    def log(self, method, url):
        if self.args.log:
            with open(self.args.log, "a", encoding="utf-8") as f:
                f.write(f"{method} {url}\n")

    def request(self, url, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        method = "POST" if data is not None else "GET"
        self.log(method, url)
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("User-Agent", "sextant-test-browser/1")
        try:
            with self.opener.open(req, timeout=TIMEOUT) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            body = e.read()
            return e.code, e.headers, body
        except urllib.error.URLError as e:
            raise Failure(f"{method} {url}: {e.reason}") from e

    def is_app_callback(self, url):
        o = origin(url)
        return o[0] == "http" and o[1] in LOOPBACK_HOSTS and o != self.provider

    def run(self):
        url, form = self.args.url, None
        for _ in range(MAX_STEPS):
            if form is None and self.args.stop_at and url.startswith(self.args.stop_at):
                say(url)
                return 0
            if form is None and self.is_app_callback(url):
                return self.callback(url)
            status, headers, body = self.request(url, form)
            form = None
            if 300 <= status < 400:
                location = headers.get("Location")
                if not location:
                    raise Failure(f"{url} answered {status} without a Location")
                url = urllib.parse.urljoin(url, location)
                if self.args.stop_at and url.startswith(self.args.stop_at):
                    continue
                if origin(url) != self.provider and not self.is_app_callback(url):
                    raise Failure(f"redirected away from the provider to {url}, not to loopback")
                continue
            page = Page()
            page.feed(body.decode("utf-8", "replace"))
            if status >= 400:
                raise Failure(f"{url} answered {status}:\n{page.visible_text()}")
            url, form = self.next_step(url, page)
            if url is None:
                say(page.visible_text())
                return 0
        raise Failure(f"gave up after {MAX_STEPS} requests without reaching the app's callback")

    def next_step(self, url, page):
        """What to request next from this provider page: (url, form fields or None)."""
        login = page.find_form(lambda f, v: "login" in v and "password" in v)
        if login:
            if self.logged_in:
                raise Failure(f"the login was rejected:\n{page.visible_text()}")
            self.logged_in = True
            fields = {n: v for n, v, _ in page.fields(login)}
            fields["login"] = self.args.user
            fields["password"] = self.args.password
            return self.submit(url, login, fields)
        consent = page.find_form(lambda f, v: v.get("prompt") == "consent")
        if consent:
            if self.args.deny:
                abort = next((h for h in page.links if h.rstrip("/").endswith("/abort")), None)
                if not abort:
                    raise Failure(f"no abort link on the consent page:\n{page.visible_text()}")
                return urllib.parse.urljoin(url, abort), None
            return self.submit(url, consent, {n: v for n, v, _ in page.fields(consent)})
        code_input = page.find_form(lambda f, v: f["id"] == "op.deviceInputForm")
        if code_input:
            if not self.args.device_code:
                raise Failure("the provider asks for a device user code: pass --device-code")
            if self.code_entered:
                raise Failure(f"the user code was not accepted:\n{page.visible_text()}")
            self.code_entered = True
            fields = {n: v for n, v, _ in page.fields(code_input)}
            fields["user_code"] = self.args.device_code
            return self.submit(url, code_input, fields)
        confirm = page.find_form(lambda f, v: f["id"] == "op.deviceConfirmForm")
        if confirm:
            fields = {n: v for n, v, _ in page.fields(confirm)}
            if self.args.deny:
                fields["abort"] = "yes"
            return self.submit(url, confirm, fields)
        if self.args.device_code and any("Sign-in Success" in t for t in page.text):
            return None, None
        raise Failure(f"{url}: not a page this browser knows how to handle:\n{page.visible_text()}")

    @staticmethod
    def submit(url, form, fields):
        action = urllib.parse.urljoin(url, form["action"] or url)
        if form["method"] != "post":
            query = urllib.parse.urlencode(fields)
            return f"{action}{'&' if '?' in action else '?'}{query}", None
        return action, fields

    def callback(self, url):
        status, _headers, body = self.request(url)
        page = Page()
        page.feed(body.decode("utf-8", "replace"))
        say(page.visible_text() or body.decode("utf-8", "replace"))
        if status >= 500:
            say(f"(the callback answered {status})", sys.stderr)
        return 0


def say(text, stream=None):
    """Prints, unless nobody reads (Sextant may start the browser and not wait for it)."""
    try:
        print(text, file=stream or sys.stdout, flush=True)
    except (BrokenPipeError, OSError):
        pass


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deny", action="store_true", help="refuse consent (or abort a device code)")
    ap.add_argument("--user", default="alice")
    ap.add_argument("--password", default="wonderland")
    ap.add_argument("--log", help="append every URL requested to this file")
    ap.add_argument("--device-code", help="the user code to enter at the verification page")
    ap.add_argument("--stop-at", help="print the first redirect starting with this and stop there")
    ap.add_argument("url")
    args = ap.parse_args(argv)
    if not args.url.startswith(("http://", "https://")):
        ap.error(f"not an http(s) URL: {args.url}")
    try:
        return Browser(args).run()
    except Failure as e:
        say(f"test_browser: {e}", sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
