"""The HTTP front door as an attacker meets it: message framing that two parties could read
differently (RFC 9112) is refused with 400 and the connection closed, before any body byte is
read, so nothing can be smuggled behind it."""
import json
import re
import socket

import pytest

IP = "/v4.0/user_ip_lists"


def exchange(server, raw, timeout=3):
    """Sends raw bytes on a fresh connection; returns everything received until the server closes
    (b"<open>" appended when it did not close within the timeout)."""
    s = socket.create_connection(("127.0.0.1", server.port))
    s.settimeout(timeout)
    s.sendall(raw)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk
    except socket.timeout:
        return out + b"<open>"
    except ConnectionResetError:
        return out + b"<reset>"
    finally:
        s.close()


def read_to_close(s):
    """Everything `s` receives until the server closes it; then closes it too."""
    got = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    s.close()
    return got


def statuses(out):
    return [int(m) for m in re.findall(rb"HTTP/1\.[01] (\d{3}) ", out)]


def head(server, method, extra, version="1.1", host=True):
    lines = ["%s %s HTTP/%s" % (method, IP, version)]
    if host:
        lines.append("Host: 127.0.0.1")
    lines.append("Authorization: Bearer " + server.demo_token)
    lines += extra
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def smuggled_get(server):
    return head(server, "GET", [])


@pytest.mark.parametrize("te", ["xchunked", "gzip", "identity", "chunked, identity", "gzip, chunked", "chunked, chunked"])
def test_transfer_encodings_other_than_chunked_are_refused_and_nothing_is_smuggled(server, te):
    body = b'{"list_name":"smuggled"}'
    raw = head(server, "POST", ["Content-Type: application/json", "Transfer-Encoding: " + te]) + smuggled_get(server)
    out = exchange(server, raw)
    assert statuses(out) == [400], out  # one answer: the GET behind it was never read as a request
    assert b"Transfer-Encoding" in out and not out.endswith(b"<open>"), out
    assert body not in out


def test_transfer_encoding_with_content_length_is_refused(server):
    raw = head(server, "POST", ["Content-Type: application/json", "Transfer-Encoding: chunked",
                                "Content-Length: 5"]) + b"0\r\n\r\n" + smuggled_get(server)
    out = exchange(server, raw)
    assert statuses(out) == [400] and not out.endswith(b"<open>"), out


@pytest.mark.parametrize("case,extra,host,version", [
    ("obs-fold", ["X-Folded: a", " b"], True, "1.1"),
    ("obs-fold-tab", ["X-Folded: a", "\tb"], True, "1.1"),
    ("no host", [], False, "1.1"),
    ("two hosts", ["Host: evil.example"], True, "1.1"),
    ("conflicting lengths", ["Content-Length: 2", "Content-Length: 3"], True, "1.1"),
])
def test_ambiguous_heads_are_refused_and_closed(server, case, extra, host, version):
    out = exchange(server, head(server, "GET", extra, version, host) + smuggled_get(server))
    assert statuses(out) == [400], (case, out)
    assert not out.endswith(b"<open>"), (case, out)
    assert b"malformed HTTP request" in out, out


def test_well_framed_requests_still_pass(server):
    # HTTP/1.0 may omit Host; a chunked body is decoded; keep-alive serves the next request.
    out = exchange(server, head(server, "GET", ["Connection: close"], "1.0", False))
    assert statuses(out) == [200], out
    body = b'{"list_name":"chunky","addresses":[{"value":"198.51.100.7"}]}'
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    raw = head(server, "POST", ["Content-Type: application/json", "Transfer-Encoding: chunked"]) + chunked
    raw += head(server, "GET", ["Connection: close"])
    out = exchange(server, raw)
    assert statuses(out) == [201, 200], out
    assert out.count(b"chunky") == 2, out


def test_untrusted_bytes_cannot_forge_log_lines(tmp_path):
    """A DNS query name carrying a newline, a quote, NUL and invalid UTF-8 is logged escaped on its
    own line (it used to forge a whole "dns AXFR" line unauthenticated); HTTP request targets with
    the same bytes leave one JSON access-log line per answered request."""
    from conftest import Server
    server = Server(str(tmp_path / "d"), log_level="info").start()
    labels = [b"x\n[2026-01-01 00:00:00.000] [rampart] [info]", b" dns AXFR zone=forged\"\x00\xff"]
    qname = b"".join(bytes([len(l)]) + l for l in labels) + b"\x03rpz\x00"
    query = b"\x12\x34\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00" + qname + b"\x00\x06\x00\x01"  # SOA IN
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(3)
    u.sendto(query, ("127.0.0.1", server.dns_port))
    u.recv(512)  # REFUSED: not a zone we serve
    u.close()
    for target in (b"/v4.0/\"quoted\"", b"/v4.0/%0a%00", b"/v4.0/\xff\xfe"):
        exchange(server, b"GET " + target + b" HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    deadline = __import__("time").time() + 10
    while "dns REFUSED" not in server.log_text() and __import__("time").time() < deadline:
        __import__("time").sleep(0.05)
    log = server.log_text()
    lines = log.splitlines()
    assert all(line.startswith("[") for line in lines if line), log  # every line is one event of ours
    refused = [line for line in lines if "dns REFUSED" in line]
    assert len(refused) == 1 and "zone=x\\x0a[2026-01-01" in refused[0] and "\\x00\\xff" in refused[0], refused
    assert refused[0].endswith('reason="no such zone is served here"'), refused
    assert not any(line.startswith("[2026-01-01 00:00:00.000]") for line in lines)
    with open(server.access_log, "rb") as f:
        access = f.read().split(b"\n")
    events = [json.loads(line.decode("utf-8", "surrogateescape")) for line in access if line]
    assert len(events) == 3 and {e["status"] for e in events} <= {400, 401, 404}, events


def test_one_client_cannot_take_every_connection(tmp_path):
    """256 connections per client address by default: the 257th from 127.0.0.1 is refused (503,
    the API's error shape), while a client from 127.0.0.2 keeps working; a half-sent head is cut at
    header_timeout_ms (408) and frees its slot."""
    from conftest import Server
    server = Server(str(tmp_path / "d"), ["--header-timeout-ms", "1500"]).start()
    held = []
    try:
        for _ in range(256):  # half-sent requests: the head never ends
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(b"GET /v4.0/user_ip_lists HTTP/1.1\r\nHost: a\r\n")
            held.append(s)
        extra = exchange(server, b"GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        assert statuses(extra) == [503], extra
        assert b"text/plain" in extra and extra.endswith(b"503 too many connections from this client\n"), extra
        other = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        other.bind(("127.0.0.2", 0))
        other.settimeout(5)
        other.connect(("127.0.0.1", server.port))
        other.sendall(head(server, "GET", ["Connection: close"]))
        got = read_to_close(other)
        assert statuses(got) == [200] and b'"_meta"' in got, got
        # The held heads time out (408, then closed), and the client may connect again.
        held[0].settimeout(10)
        answer = held[0].recv(65536)
        assert statuses(answer) == [408], answer
    finally:
        for s in held:
            s.close()
    deadline = __import__("time").time() + 10
    while __import__("time").time() < deadline:
        again = exchange(server, b"GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        if statuses(again) == [200]:
            break
    assert statuses(again) == [200], again


def vm_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(field)


def test_bodies_are_not_read_before_authentication(server):
    """200 unauthenticated connections each announce a 16 MiB body and send 256 KiB of it: each (no token, or a bogus one) is
    answered 401/403 from its head alone and closed, and the server's memory barely moves (it used to
    buffer every body before answering)."""
    pid = server.proc.pid
    before = vm_kib(pid, "VmRSS")
    socks, chunk = [], b"x" * (256 * 1024)
    for i in range(200):
        s = socket.create_connection(("127.0.0.1", server.port))
        auth = ["Authorization: Bearer rpt_0123456789abcdef_" + "A" * 43] if i % 2 else []
        raw = ["POST %s HTTP/1.1" % IP, "Host: a", "Content-Type: application/json", "Content-Length: 16777215"] + auth
        s.sendall(("\r\n".join(raw) + "\r\n\r\n").encode())
        s.settimeout(2)
        try:
            s.sendall(chunk)
        except OSError:
            pass  # the server answered and closed without reading it: fine
        socks.append(s)
    answers = []
    for s in socks:
        s.settimeout(10)
        try:
            answers.append(statuses(s.recv(4096)))
        except OSError as e:
            answers.append(repr(e))
        s.close()
    assert sum(a in ([401], [403]) for a in answers) >= 195, answers  # (a reset may rarely eat an answer)
    grown_mib = (vm_kib(pid, "VmHWM") - before) / 1024
    print("RSS high-water mark grew %.1f MiB over 200 x 16 MiB announced bodies" % grown_mib)
    assert grown_mib < 50, grown_mib
    # Unknown paths and wrong methods are refused on the head too, before the body.
    for line, status in (("POST /v4.0/nothing HTTP/1.1", 404), ("DELETE %s HTTP/1.1" % IP, 405)):
        raw = "%s\r\nHost: a\r\nAuthorization: Bearer %s\r\nContent-Length: 16777215\r\n\r\n" % (line, server.demo_token)
        out = exchange(server, raw.encode() + b"y" * 1000)
        assert statuses(out) == [status] and not out.endswith(b"<open>"), out


def patch_raw(server, list_id, body, token=None):
    return ("PATCH %s/%s HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\nConnection: close\r\n\r\n" % (IP, list_id, token or server.demo_token, len(body))
            ).encode() + body


def test_authenticated_parse_stops_at_the_entry_cap(tmp_path):
    """An authenticated PATCH of 380,000 entries (about 10 MiB) is refused with 19011 once the parse
    passes 32,000 of them, instead of building all 380,000 first (that raised the high-water mark
    by 255 MiB); what it costs is printed, and bounded well below what building them took."""
    from conftest import Server
    server = Server(str(tmp_path / "d")).start()
    s = __import__("requests").Session()
    s.headers["Authorization"] = "Bearer " + server.demo_token
    r = s.post(server.url + IP, json={"list_name": "big", "list_type": "block", "addresses": [{"value": "45.0.0.1"}]})
    assert r.status_code == 201, r.text
    list_id = r.json()["_data"][0]["object_id"]
    entries = ",".join('{"value":"45.%d.%d.%d","action":"add"}' % (i >> 16 & 255, i >> 8 & 255, i & 255)
                       for i in range(380000))
    body = ('{"addresses":[%s]}' % entries).encode()
    before = vm_kib(server.proc.pid, "VmHWM")
    out = exchange(server, patch_raw(server, list_id, body), timeout=30)
    assert statuses(out) == [400], out[:300]
    assert json.loads(out.split(b"\r\n\r\n", 1)[1])["additional_info"]["error_code"] == 19011, out
    grown_mib = (vm_kib(server.proc.pid, "VmHWM") - before) / 1024
    print("RSS high-water mark grew %.1f MiB for one %.1f MiB PATCH of 380,000 entries"
          % (grown_mib, len(body) / 2**20))
    assert grown_mib < 80, grown_mib
    # The list is unchanged, and exactly 32,000 items still parse (and are judged on their merits).
    assert s.get(server.url + IP + "/" + list_id).json()["_meta"]["addresses"]["record_count"] == 1
    entries = ",".join('{"value":"45.%d.%d.%d","action":"add"}' % (i >> 16 & 255, i >> 8 & 255, i & 255)
                       for i in range(32000))  # 45.0.0.1 among them: 32,000 in all
    r = s.patch(server.url + IP + "/" + list_id, data='{"addresses":[%s]}' % entries,
                headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text[:300]
    assert r.json()["_meta"]["addresses"]["record_count"] == 32000


def test_large_bodies_wait_for_a_slot(tmp_path):
    """With one large-body slot, a second authenticated request announcing a large body while the
    first is still sending gets 503 + Retry-After (the ThreatSTOP shape) from its head alone; once
    the first is done, the slot is free again. Small bodies never need one."""
    from conftest import Server
    server = Server(str(tmp_path / "d"), ["--max-large-bodies", "1", "--large-body-bytes", "2048"]).start()
    body = json.dumps({"list_name": "slow", "list_type": "block",
                       "addresses": [{"value": "45.1.%d.%d" % (i // 250, i % 250)} for i in range(200)]}).encode()
    assert len(body) > 2048
    first = socket.create_connection(("127.0.0.1", server.port))
    first.sendall(("POST %s HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
                   "Content-Length: %d\r\nConnection: close\r\n\r\n" % (IP, server.demo_token, len(body))).encode()
                  + body[:100])
    __import__("time").sleep(0.3)  # the first holds the slot while its body trickles in
    def post(data):
        return ("POST %s HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\n\r\n" % (IP, server.demo_token, len(data))).encode() + data
    second = exchange(server, post(body))
    assert statuses(second) == [503] and b"\r\nRetry-After: 1\r\n" in second, second
    assert b'"status_code":503' in second, second
    small = json.dumps({"list_name": "small", "list_type": "block", "addresses": [{"value": "45.9.9.9"}]}).encode()
    r = __import__("requests").post(server.url + IP, data=small, headers={
        "Authorization": "Bearer " + server.demo_token, "Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    first.sendall(body[100:])
    first.settimeout(10)
    got = read_to_close(first)
    assert statuses(got) == [201], got
    again = exchange(server, post(body.replace(b'"slow"', b'"slow2"')))
    assert statuses(again) == [201], again


def test_route_body_limit_is_checked_on_the_head(server):
    """Devices and policies take at most 1 MiB (their largest documents are far smaller): a bigger
    announced body is refused 413 from its head, before a byte of it is read."""
    raw = ("POST /v4.0/devices HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
           "Content-Length: %d\r\n\r\n" % (server.demo_token, 2 * 1024 * 1024)).encode()
    out = exchange(server, raw + b"{")
    assert statuses(out) == [413] and not out.endswith(b"<open>"), out
    assert b'"status_code":413' in out, out
