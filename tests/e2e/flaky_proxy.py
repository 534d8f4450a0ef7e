"""A TCP proxy on loopback between rampart-agent and rampart that can misbehave on demand:
"pass" relays both ways; "refuse" closes every new connection at once (the server is away);
"lose_reply" relays a batch (POST /ingest/v1/events) and drops the connection before any reply
byte (the server acted, the agent never heard); other requests pass."""
import socket
import threading


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
            threading.Thread(target=self._serve, args=(client, self.mode), daemon=True).start()

    def _serve(self, client, mode):
        if mode == "refuse":
            client.close()
            return
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        first = client.recv(65536)
        upstream.sendall(first)
        if mode == "pass" or not first.startswith(b"POST /ingest/v1/events"):
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
            self._pipe(client, upstream)
            return
        # lose_reply (batches only): the request goes through; the first reply bytes end both
        # connections.
        threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
        try:
            if upstream.recv(65536):
                self.lost_replies += 1
        finally:
            client.close()
            upstream.close()

    @staticmethod
    def _pipe(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
