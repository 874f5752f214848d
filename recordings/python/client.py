"""TCP demo client: send one greeting, print the reply, wait for the close.

Connects to --addr HOST:PORT, else $DIRECTOR_DEMO_ADDR, else 127.0.0.1:5000.
Returns only once the server has closed the connection.
"""

import argparse
import os
import socket
import sys

DEFAULT_ADDR = "127.0.0.1:5000"


def parse_addr(text):
    """Split "HOST:PORT" (or "[IPv6]:PORT") into (host, port)."""
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or int(port) > 65535:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]"), int(port)


def show(addr):
    """Format a socket address as host:port, like the Rust demo does."""
    host, port = addr[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def connect(addr):
    try:
        client = socket.create_connection(addr)
    except OSError as e:
        reason = e.strerror
        if isinstance(e, ConnectionRefusedError):
            reason = "connection refused (is the server running?)"
        return fail(f"cannot connect to {show(addr)}: {reason}")

    with client:
        print("Connected to server.")

        client.sendall(b"Hello, server!")
        print("Message sent.")

        data = client.recv(1024)
        if not data:
            return fail("server closed the connection before replying")
        text = data.decode(errors="replace").rstrip("\r\n")
        print(f"Received: {text}")

        # The server holds the connection open for a moment; wait for it to
        # close rather than hanging up first.
        while client.recv(1024):
            pass
        print("Connection closed.")
    return 0


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addr", type=parse_addr,
                        default=os.environ.get("DIRECTOR_DEMO_ADDR", DEFAULT_ADDR),
                        help=f"address of the server (default {DEFAULT_ADDR})")
    args = parser.parse_args()

    try:
        return connect(args.addr)
    except KeyboardInterrupt:
        return 130
    except OSError as e:
        return fail(e.strerror or e)


if __name__ == "__main__":
    sys.exit(main())
