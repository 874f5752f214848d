"""TCP demo server: accept one client, exchange one greeting, then close.

Listens on --addr HOST:PORT, else $DIRECTOR_DEMO_ADDR, else 127.0.0.1:5000.
Holds the connection open for --hold seconds (default 1.0) before closing,
so both sides of the conversation can be watched.
"""

import argparse
import errno
import os
import socket
import sys
import time

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


def serve(addr, hold):
    family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            server.bind(addr)
            server.listen()
        except OSError as e:
            reason = e.strerror
            if e.errno == errno.EADDRINUSE:
                reason = "address already in use (is another server running?)"
            return fail(f"cannot listen on {show(addr)}: {reason}")
        print(f"Server listening on {show(server.getsockname())}")

        conn, peer = server.accept()
    # Only one client is served; the listening socket is closed above, so a
    # second client is refused rather than left waiting.
    with conn:
        print(f"Connected by {show(peer)}")

        data = conn.recv(1024)
        if not data:
            return fail("client closed the connection before sending anything")
        text = data.decode(errors="replace").rstrip("\r\n")
        print(f"Received: {text}")

        conn.sendall(b"Hello, client!")
        print("Connection open. Waiting...")
        time.sleep(hold)

        print("Closing connection.")
        conn.shutdown(socket.SHUT_WR)
    return 0


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addr", type=parse_addr,
                        default=os.environ.get("DIRECTOR_DEMO_ADDR", DEFAULT_ADDR),
                        help=f"address to listen on (default {DEFAULT_ADDR})")
    parser.add_argument("--hold", type=float, default=1.0,
                        help="seconds to hold the connection open (default 1.0)")
    args = parser.parse_args()
    if args.hold < 0:
        parser.error("--hold must not be negative")

    try:
        return serve(args.addr, args.hold)
    except KeyboardInterrupt:
        return 130
    except OSError as e:
        return fail(e.strerror or e)


if __name__ == "__main__":
    sys.exit(main())
