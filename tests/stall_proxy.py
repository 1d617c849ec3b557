"""A TCP proxy in front of PostgreSQL that can stall (accept and hold every byte, answer
nothing: a hung host or network) or drop (close every connection, refuse new ones), and
then work again — the failures the server must answer with 503 and recover from."""

import contextlib
import socket
import threading
import time


class StallProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.mode = "forward"  # or "stall", "drop"
        self.closed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def stall(self):
        self.mode = "stall"

    def drop(self):
        self.mode = "drop"
        self._close_all()

    def forward(self):
        self.mode = "forward"

    def close(self):
        self.closed = True
        self.listener.close()
        self._close_all()

    def _close_all(self):
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _keep(self, *socks):
        with self._lock:
            self._sockets.extend(socks)

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.mode == "drop":
                client.close()
                continue
            self._keep(client)
            if self.mode == "stall":
                continue  # accepted, never answered
            upstream = socket.create_connection(self.target)
            self._keep(upstream)
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                while self.mode == "stall" and not self.closed:
                    time.sleep(0.02)  # hold the bytes: the other side waits for an answer
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
