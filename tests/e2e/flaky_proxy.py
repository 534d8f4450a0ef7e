"""An HTTP/1.1 proxy on loopback between rampart-agent and rampart that can misbehave on demand,
request by request (the agent keeps its connection, so a mode that only took effect on new
connections would never reach it):
"pass" relays; "refuse" closes a connection when its next request arrives, and every new one at
once (the server is away); "lose_reply" relays a batch (POST /ingest/v1/events) and drops the
connection before any reply byte (the server acted, the agent never heard); other requests pass.
Messages are framed by Content-Length, as rampart and its agent send them."""
import socket
import threading


def _read_message(sock, buf):
    """One message (head and Content-Length body) from `sock`, after what `buf` already holds.
    Returns (message bytes, leftover bytes), or (None, b"") when the peer closed first."""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            return None, b""
        buf += data
    head_end = buf.index(b"\r\n\r\n") + 4
    length = 0
    for line in buf[:head_end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buf) < head_end + length:
        data = sock.recv(65536)
        if not data:
            return None, b""
        buf += data
    return buf[:head_end + length], buf[head_end + length:]


class FlakyProxy:
    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.mode = "pass"
        self.lost_replies = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.closed = True
        self.sock.close()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        upstream = None
        try:
            from_client, from_upstream = b"", b""
            while self.mode != "refuse":
                request, from_client = _read_message(client, from_client)
                if request is None or self.mode == "refuse":
                    return
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
                upstream.sendall(request)
                reply, from_upstream = _read_message(upstream, from_upstream)
                if reply is None:
                    return
                if self.mode == "lose_reply" and request.startswith(b"POST /ingest/v1/events"):
                    self.lost_replies += 1
                    return
                client.sendall(reply)
        except OSError:
            pass
        finally:
            for s in (client, upstream):
                if s is not None:
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    s.close()
