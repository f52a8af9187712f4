#!/usr/bin/env python3
"""Relay QMP commands from a guest to its QEMU.

The guest writes one JSON request a line to its second serial port, which
QEMU connects to a unix socket; this agent forwards each request to QEMU's
QMP socket and writes the reply back as one line. It lets a guest test
interleave its own steps with host-side QMP steps such as
cxl-add-dynamic-capacity.

Usage: qmp-agent.py --qmp SOCK --guest SOCK [--log FILE]
Exit:  0 when QEMU goes away, 2 when a socket cannot be reached.
"""

import argparse
import json
import socket
import sys
import time


def connect(path, timeout):
    """Connect to a unix socket, retrying until QEMU has created it."""
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class Qmp:
    """A minimal QMP client: one command at a time, events skipped."""

    def __init__(self, path, timeout):
        self.sock = connect(path, timeout)
        self.rfile = self.sock.makefile("r", encoding="utf-8")
        self.recv()  # greeting
        reply = self.command({"execute": "qmp_capabilities"})
        if "return" not in reply:
            raise RuntimeError(f"qmp_capabilities failed: {reply}")

    def recv(self):
        line = self.rfile.readline()
        if not line:
            raise EOFError("QMP socket closed")
        return json.loads(line)

    def command(self, req):
        self.sock.sendall((json.dumps(req) + "\n").encode())
        while True:
            msg = self.recv()
            if "return" in msg or "error" in msg:
                return msg


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qmp", required=True)
    ap.add_argument("--guest", required=True)
    ap.add_argument("--log")
    ap.add_argument("--timeout", type=float, default=30)
    args = ap.parse_args()

    log = open(args.log, "a", encoding="utf-8") if args.log else sys.stderr
    try:
        qmp = Qmp(args.qmp, args.timeout)
        guest = connect(args.guest, args.timeout)
    except (OSError, EOFError, RuntimeError) as err:
        print(f"qmp-agent: {err}", file=log, flush=True)
        return 2

    gfile = guest.makefile("r", encoding="utf-8", errors="replace")
    for line in gfile:
        line = line.strip()
        if not line:
            continue
        req = line
        try:
            req = json.loads(line)
            if not isinstance(req, dict) or "execute" not in req:
                raise ValueError("not a QMP command")
        except ValueError as err:
            reply = {"error": {"class": "AgentError", "desc": f"bad request: {err}"}}
        else:
            try:
                reply = qmp.command(req)
            except (OSError, EOFError) as err:
                reply = {"error": {"class": "AgentError", "desc": str(err)}}
            # QEMU echoes a request's id; the agent's own errors do too
            if "id" in req and "id" not in reply:
                reply["id"] = req["id"]
        print(f"qmp-agent: -> {line}", file=log)
        print(f"qmp-agent: <- {json.dumps(reply)}", file=log, flush=True)
        guest.sendall((json.dumps(reply, separators=(",", ":")) + "\n").encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
