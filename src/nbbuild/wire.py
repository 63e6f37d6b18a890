"""A step's connection to the build server, both ends: the step's process sends its request (one
JSON line: arguments, working directory, environment) and relays what comes back (JSON lines: its
output, then its exit status, or "local" when the server will not take it); the server writes a
step's output to that step's connection, from the thread that runs the step."""

from __future__ import annotations

import json
import os
import select
import socket
import sys
import threading

from nbbuild.kernels import SERVER

# The connection of the step that this thread runs (the server's threads), or none.
step = threading.local()

# The step's end -----------------------------------------------------------------------------------


def run_on_server(argv: list[str], progress_bar: bool) -> int | None:
    """Send the step to the build server named by $NBBUILD_SERVER (a Unix socket) and
    relay its output; its exit status, or None when there is no server to take it."""
    address = os.environ.get(SERVER)
    if not address:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(address)
    except OSError as error:
        connection.close()
        print(f"nbbuild.execute: no build server at {address} ({error.strerror}); the step runs alone", file=sys.stderr)
        return None
    with connection:
        request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "progress_bar": progress_bar}
        try:
            connection.sendall(json.dumps(request).encode("utf-8") + b"\n")
            for line in connection.makefile("r", encoding="utf-8"):
                message = json.loads(line)
                if "out" in message:
                    sys.stdout.write(message["out"])
                    sys.stdout.flush()
                elif "err" in message:
                    sys.stderr.write(message["err"])
                    sys.stderr.flush()
                elif "exit" in message:
                    return message["exit"]
                elif "local" in message:
                    return None
        except KeyboardInterrupt:  # make was interrupted: closing the connection stops the step
            return 130
    print(f"{argv[0] if argv else 'nbbuild.execute'}: the build server stopped during the step", file=sys.stderr)
    return 1


# The server's end ---------------------------------------------------------------------------------


class Channel:
    """The connection to one step's process: JSON lines, written by any thread."""

    def __init__(self, connection: socket.socket):
        self.connection, self.lock, self.open = connection, threading.Lock(), True

    def send(self, message: dict) -> None:
        data = (json.dumps(message) + "\n").encode("utf-8")
        with self.lock:
            if self.open:
                try:
                    self.connection.sendall(data)
                except OSError:
                    self.open = False


class OutputRouter:
    """The server's sys.stdout or sys.stderr: a step's thread writes to its own process, a whole
    line at a time (print() writes a line and its newline apart, and make's other steps write to
    the same terminal in between); what is left without a newline goes at a flush."""

    def __init__(self, stream, key: str):
        self._stream, self._key = stream, key
        self._pending = threading.local()

    def write(self, text: str) -> int:
        channel = getattr(step, "channel", None)
        if channel is None:
            return self._stream.write(text)
        pending = getattr(self._pending, "text", "") + text
        cut = pending.rfind("\n") + 1
        if cut:
            channel.send({self._key: pending[:cut]})
        self._pending.text = pending[cut:]
        return len(text)

    def flush(self) -> None:
        channel = getattr(step, "channel", None)
        if channel is None:
            self._stream.flush()
        elif getattr(self._pending, "text", ""):
            channel.send({self._key: self._pending.text})
            self._pending.text = ""

    def isatty(self) -> bool:
        return getattr(step, "channel", None) is None and self._stream.isatty()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def read_request(connection: socket.socket) -> dict | None:
    """A step's request: its first line (JSON), or None."""
    line = b""
    while not line.endswith(b"\n"):
        chunk = connection.recv(1 << 16)
        if not chunk:
            break
        line += chunk
    try:
        return json.loads(line or b"null")
    except ValueError:
        return None


def closed_by_peer(connection: socket.socket) -> bool:
    """Whether the step's process has closed its end (it sends nothing after its request)."""
    readable, _, _ = select.select([connection], [], [], 0)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True
