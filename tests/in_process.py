"""The site in this process, spoken to through ``requests`` as a live server is.

Most tests of the site ask something of a page and read the answer: they need the app,
not granian, the front door or query workers. Starting ``flgraph serve`` for them costs
seconds and a few hundred MB per server; the app itself is built in about a second. So
``InProcessSite`` has the interface of ``conftest.LiveServer`` (``url``, ``get``,
``post``, ``request``), and its requests go to the app's Flask test client through a
``requests`` transport adapter: the test's code, its ``requests.Response`` objects
(redirects, ``.json()``, gzip decoding, merged headers) and its assertions stay those
of a test against a live server.

Tests of the HTTP server's own behaviour (the front door's limits, 414, slow clients,
deadlines enforced by killing a worker, several web processes) and of clients speaking
HTTP themselves (SPARQLWrapper, Comunica, a browser) keep a live server.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPResponse
from urllib3._collections import HTTPHeaderDict

#: The address the in-process site answers at (never resolved: requests to it go to the
#: adapter below).
URL = "http://flgraph.test"


class AppAdapter(HTTPAdapter):
    """A ``requests`` transport that hands each request to a Flask app's test client and
    wraps its answer in the urllib3 response ``requests`` builds its own from."""

    def __init__(self, app) -> None:
        super().__init__()
        self.client = app.test_client()

    def send(self, request, stream=False, timeout=None, verify=True, cert=None,
             proxies=None):
        url = urlsplit(request.url)
        body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
        answer = self.client.open(
            url.path or "/", method=request.method, query_string=url.query,
            headers=list(request.headers.items()), input_stream=io.BytesIO(body or b""),
            base_url=f"{url.scheme}://{url.netloc}")
        raw = HTTPResponse(
            body=io.BytesIO(answer.get_data()),
            headers=HTTPHeaderDict(answer.headers.to_wsgi_list()), status=answer.status_code,
            reason=answer.status.partition(" ")[2],
            preload_content=False, decode_content=False, request_method=request.method)
        response = self.build_response(request, raw)
        if not stream:
            response.content  # noqa: B018 -- read now, as requests does without stream
        return response


@dataclass
class InProcessSite:
    """The app behind ``url``, with a live server's ``get``/``post``/``request``."""

    app: object
    url: str = URL
    session: requests.Session = field(init=False)

    def __post_init__(self) -> None:
        self.session = requests.Session()
        self.session.mount(self.url + "/", AppAdapter(self.app))

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.url + path, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)
