"""Server-level behaviour: limits in the API's error shape, health, metrics, request ids, pipelining."""
import re
import socket

import requests

from conftest import Client, Server, assert_error
from resolvers import wait_for


def read_until_closed(sock):
    sock.settimeout(10)
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def test_health_ready_metrics(server, client):
    assert requests.get(server.url + "/healthz").json() == {"status": "ok"}
    assert requests.get(server.url + "/readyz").status_code == 200
    client.get("/v4.0/user_ip_lists")
    client.post("/v4.0/user_ip_lists", {"list_name": "m", "addresses": [{"value": "1.2.3.4"}]})
    text = requests.get(server.url + "/metrics").text
    assert 'rampart_http_requests_total{route="user_ip_lists.list",method="GET",status="200"} 1' in text
    assert "rampart_http_request_duration_seconds_bucket" in text
    assert 'rampart_store_duration_seconds_count{op="user_ip_lists.create"} 1' in text
    assert "rampart_userlists_entries 1" in text


def test_request_id_echoed_or_generated(server):
    r = requests.get(server.url + "/healthz", headers={"X-Request-Id": "abc-123"})
    assert r.headers["X-Request-Id"] == "abc-123"
    r = requests.get(server.url + "/healthz", headers={"X-Request-Id": "bad id\twith junk"})
    assert re.fullmatch(r"[0-9a-f]{14}", r.headers["X-Request-Id"])


def test_body_and_header_limits(tmp_path):
    s = Server(tmp_path / "d", ["--max-body-bytes", "2048", "--max-header-bytes", "2048"]).start()
    h = {"Authorization": "Bearer " + s.demo_token, "Content-Type": "application/json"}
    r = requests.post(s.url + "/v4.0/user_ip_lists", data="x" * 5000, headers=h)
    assert_error(r, 413, 10003)
    r = requests.get(s.url + "/v4.0/user_ip_lists", headers=dict(h, **{"X-Pad": "p" * 4000}))
    assert_error(r, 431, 10003)
    s.stop()


def test_read_timeout_is_408(tmp_path):
    s = Server(tmp_path / "d", ["--read-timeout-ms", "300"]).start()
    sock = socket.create_connection(("127.0.0.1", s.port))
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finish
    data = read_until_closed(sock)
    assert data.startswith(b"HTTP/1.1 408"), data
    assert b'"error_code":10003' in data
    s.stop()


def test_pipelined_requests_answered_in_order(server):
    sock = socket.create_connection(("127.0.0.1", server.port))
    tok = server.demo_token.encode()
    reqs = b"".join([
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v4.0/user_ip_lists HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tok + b"\r\n\r\n",
        b"GET /v4.0/nowhere HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tok + b"\r\nConnection: close\r\n\r\n",
    ])
    sock.sendall(reqs)
    data = read_until_closed(sock)
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", data)
    assert statuses == [b"200", b"200", b"404"]


def test_public_base_url_in_links(tmp_path):
    s = Server(tmp_path / "d", ["--public-base-url", "https://lists.example.org/"]).start()
    r = Client(s.url, s.demo_token).get("/v4.0/user_ip_lists")
    assert r.json()["_links"]["self"]["href"] == "https://lists.example.org/v4.0/user_ip_lists"
    s.stop()


def test_expect_100_continue(server):
    body = b'{"list_name": "big"}'
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(b"POST /v4.0/user_ip_lists HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server.demo_token.encode() +
                 b"\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
    sock.settimeout(10)
    interim = sock.recv(4096)
    assert interim.startswith(b"HTTP/1.1 100 Continue\r\n"), interim  # before any body byte was sent
    sock.sendall(body)
    rest = b""
    while b"\r\n\r\n" not in rest:
        rest += sock.recv(65536)
    assert rest.startswith(b"HTTP/1.1 201"), rest


def http_get(sock, path, extra=b""):
    """One keep-alive GET on an open socket; returns (status, body) of the answer."""
    sock.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n")
    sock.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"\r\ncontent-length: *(\d+)", head, re.I).group(1))
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split()[1]), body


def test_too_many_connections_is_503_10100(tmp_path):
    s = Server(tmp_path / "d", ["--max-connections", "2"]).start()
    held = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(2)]
    for sock in held:  # each is answered, so each is counted before the next connection
        assert http_get(sock, b"/healthz")[0] == 200
    over = requests.get(s.url + "/v4.0/user_ip_lists", headers={"Authorization": "Bearer " + s.demo_token})
    # refused at accept, before any request line: a short text/plain answer
    assert over.status_code == 503 and over.headers["Content-Type"].startswith("text/plain"), over.text
    assert over.text == "503 too many connections\n"
    # the connections already open are served as before
    for sock in held:
        status, text = http_get(sock, b"/v4.0/user_ip_lists", b"Authorization: Bearer " + s.demo_token.encode() + b"\r\n")
        assert status == 200 and b'"count":0' in text
    held.pop().close()  # a slot frees up once the server has seen the close
    assert wait_for(lambda: requests.get(s.url + "/healthz").status_code == 200, 10) is not None
    for sock in held:
        sock.close()
    s.stop()


def test_server_errors_take_the_shape_of_the_path(tmp_path):
    """Errors the server makes itself: ThreatSTOP's shape on /v4.0, {"errors":[…]} on /v2 once the
    request line is known; text/plain before it is."""
    s = Server(tmp_path / "d", ["--max-header-bytes", "2048", "--header-timeout-ms", "300"]).start()
    r = requests.get(s.url + "/v2/agents", headers={"X-Pad": "p" * 4000})
    assert r.status_code == 431 and r.json() == {"errors": ["request headers too large"]}, r.text
    r = requests.get(s.url + "/v4.0/user_ip_lists", headers={"X-Pad": "p" * 4000})
    assert_error(r, 431, 10003)
    sock = socket.create_connection(("127.0.0.1", s.port))
    sock.sendall(b"GET /v2/alerts HTTP/1.1\r\nHost: x\r\n")  # the line, but never the end of the head
    data = read_until_closed(sock)
    assert data.startswith(b"HTTP/1.1 408") and data.endswith(b'{"errors":["request not received in time"]}'), data
    sock = socket.create_connection(("127.0.0.1", s.port))
    sock.sendall(b"GET /v2/alerts HT")  # not even the request line
    data = read_until_closed(sock)
    assert data.startswith(b"HTTP/1.1 408") and b"text/plain" in data, data
    assert data.endswith(b"408 request not received in time\n"), data
    s.stop()
