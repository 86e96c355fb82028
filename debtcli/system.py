"""What differs between Windows, macOS and Linux, decided in one place: which signals end
debtcli, how a file is locked, how worker processes start and how a worker notices that
debtcli has gone.

Most of the people debtcli is for use Windows, where there is no SIGHUP, no fcntl and no
fork; macOS has fork but it is unsafe there; Linux's default start method is no longer fork
from Python 3.14. The rule: fork only on Linux (it shares what debtcli loaded, which is
faster), spawn everywhere else, and workers get what they need as arguments.
"""

import os
import sys
from typing import Any


def exit_signals() -> list[Any]:
    """The signals that end debtcli as Ctrl-C does: SIGTERM everywhere, SIGHUP where it
    exists (a closed terminal), SIGBREAK on Windows (Ctrl-Break, a closed console)."""
    import signal

    return [
        getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGBREAK") if hasattr(signal, name)
    ]


def start_method() -> str:
    """fork on Linux, where it is there and safe; spawn on Windows and macOS."""
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def lock(fd: int) -> bool:
    """Take an exclusive lock on an open file without waiting: True when taken, False when
    another process holds it. msvcrt's locking on Windows, flock elsewhere (a system with
    neither locks nothing, and says True)."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def watch_parent(parent: int) -> None:
    """In a worker: end when debtcli (parent) ends, however it ends. Linux says so at once
    (PR_SET_PDEATHSIG); elsewhere a thread looks every half second."""
    import contextlib
    import signal
    import threading
    import time

    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


REPLACE_TRIES = 10  # a program that holds the file open (Word, Excel, an antivirus scan)


def replace(src: Any, dst: Any) -> None:
    """os.replace, where Windows refuses to replace a file another program holds open: tried
    again for a couple of seconds (an antivirus scan lets go), then refused in words."""
    import time

    from debtcli.errors import BadInput

    for attempt in range(REPLACE_TRIES):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == REPLACE_TRIES - 1 or not os.path.exists(dst):
                break
            time.sleep(0.2)
    raise BadInput(
        f"{dst} is open in another program (or cannot be replaced): close it and try again",
        f"{dst} 正被其他程序打开（或无法替换）：请关闭它后再试",
    )
