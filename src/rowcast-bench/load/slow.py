#!/usr/bin/env python3
"""The slow consumer: subscribes to every topic on 127.0.0.1, then never reads until told to drain.

Python, not Node: it needs a tiny SO_RCVBUF set before connect, so that the server, not this client's kernel
buffer, has to hold what it cannot deliver. Usage: slow.py PORT TOPICS MAX_SECONDS; stdin line "drain" ends it.
"""
import base64
import json
import os
import select
import socket
import struct
import sys
import time

port, topics, max_seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
key = base64.b64encode(os.urandom(16)).decode()
s.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
head = b""
while b"\r\n\r\n" not in head:
    chunk = s.recv(1)  # byte by byte: read nothing past the handshake
    if not chunk:
        sys.exit("handshake failed")
    head += chunk
if b" 101 " not in head.split(b"\r\n")[0]:
    sys.exit("handshake refused: " + head.decode(errors="replace"))


def text_frame(payload: bytes) -> bytes:
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    n = len(payload)
    header = struct.pack("!BB", 0x81, 0x80 | n) if n < 126 else struct.pack("!BBH", 0x81, 0x80 | 126, n)
    return header + mask + masked


for t in range(topics):
    s.sendall(text_frame(json.dumps({"type": "subscribe", "channel": "bench_row",
                                     "scope": {"col": "topic", "value": t}}).encode()))
print(json.dumps({"ready": True, "localPort": s.getsockname()[1]}), flush=True)

# never read: wait for "drain" or the time bound
select.select([sys.stdin], [], [], max_seconds)

# drain: count what the server still had for us; a cut-off shows as EOF/reset before the stream ends
s.setblocking(False)
received, eof, error, last = 0, False, None, time.monotonic()
end = time.monotonic() + 30
while time.monotonic() < end and time.monotonic() - last < 2:
    r, _, _ = select.select([s], [], [], 0.2)
    if not r:
        continue
    try:
        chunk = s.recv(1 << 20)
    except OSError as e:
        error = str(e)
        break
    if not chunk:
        eof = True
        break
    received += len(chunk)
    last = time.monotonic()
print(json.dumps({"drainedBytes": received, "closedByServer": eof or error is not None, "error": error}), flush=True)
s.close()
