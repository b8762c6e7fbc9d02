"""No outbound network from a query worker, whatever the engine makes of a query.

The gateway refuses SERVICE, but it reads a query with rdflib's parser while the engine
reads it with its own, and two parsers of the same language never agree on everything
(a carriage return in a comment was one such disagreement). So a query worker that holds
an embedded store also loses the ability to open Internet sockets: a seccomp filter
makes ``socket(AF_INET | AF_INET6, …)`` fail with EACCES, and ``io_uring_setup`` (which
could open sockets without that call) fail with ENOSYS. Pipes and Unix sockets — how
the worker talks to its web process — keep working, and nothing else changes.

Linux on x86-64 and arm64 only; elsewhere ``deny_network`` returns False and the
gateway is the only guard. A worker for a remote store needs the network (to reach the
store) and is not sandboxed this way.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class _Abi:
    audit_arch: int
    seccomp: int  # syscall numbers
    socket: int
    io_uring_setup: int
    x32: bool  # x86-64 also accepts x32 syscall numbers (bit 30 set): refuse those


_ABIS = {
    "x86_64": _Abi(0xC000003E, 317, 41, 425, True),
    "amd64": _Abi(0xC000003E, 317, 41, 425, True),
    "aarch64": _Abi(0xC00000B7, 277, 198, 425, False),
    "arm64": _Abi(0xC00000B7, 277, 198, 425, False),
}

# classic BPF opcodes and seccomp return values
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
_SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC = 1, 1
_PR_SET_NO_NEW_PRIVS = 38


def deny_network() -> bool:
    """Forbid Internet sockets to this process and its threads; True if now in force."""
    abi = _ABIS.get(platform.machine().lower())
    if abi is None or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        program = _program(abi)
        buffer = ctypes.create_string_buffer(program)

        class _Prog(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

        prog = _Prog(len(program) // 8, ctypes.addressof(buffer))
        if libc.syscall(abi.seccomp, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC,
                        ctypes.byref(prog)) != 0:
            return False
    except (OSError, AttributeError):
        return False
    return not can_open_internet_socket()


def can_open_internet_socket() -> bool:
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return False
    return True


def _program(abi: _Abi) -> bytes:
    """The filter: other architectures and x32 calls refused, io_uring refused, socket()
    refused for AF_INET and AF_INET6, everything else allowed."""
    arg0 = 16 if sys.byteorder == "little" else 20  # low half of seccomp_data.args[0]
    code: list[tuple] = [
        ("ld", 4), ("jeq", abi.audit_arch, None, "deny"),
        ("ld", 0),
    ]
    if abi.x32:
        code.append(("jge", 0x40000000, "deny", None))
    code += [
        ("jeq", abi.io_uring_setup, "nosys", None),
        ("jeq", abi.socket, None, "allow"),
        ("ld", arg0),
        ("jeq", socket.AF_INET, "deny", None),
        ("jeq", socket.AF_INET6, "deny", None),
        ("label", "allow"), ("ret", _ALLOW),
        ("label", "deny"), ("ret", _ERRNO | errno.EACCES),
        ("label", "nosys"), ("ret", _ERRNO | errno.ENOSYS),
    ]
    return _assemble(code)


def _assemble(code: list[tuple]) -> bytes:
    """BPF bytes; jump targets are labels (None: the next instruction)."""
    labels: dict[str, int] = {}
    index = 0
    for op in code:
        if op[0] == "label":
            labels[op[1]] = index
        else:
            index += 1
    out = []
    index = 0
    for op in code:
        kind = op[0]
        if kind == "label":
            continue
        if kind == "ld":
            out.append(struct.pack("HBBI", _LD_W_ABS, 0, 0, op[1]))
        elif kind == "ret":
            out.append(struct.pack("HBBI", _RET_K, 0, 0, op[1]))
        else:
            opcode = _JEQ_K if kind == "jeq" else _JGE_K
            true, false = (0 if t is None else labels[t] - index - 1 for t in op[2:4])
            out.append(struct.pack("HBBI", opcode, true, false, op[1]))
        index += 1
    return b"".join(out)
