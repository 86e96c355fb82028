"""One error family. The CLI catches it in one place and turns it into a message and an exit code.

Every error carries its message in English and Chinese so the pure core can raise it without
knowing the user's language; the CLI picks one.
"""

from collections.abc import Iterable


class DebtcliError(Exception):
    """Base class. exit_code 2: the user's input or store is the problem."""

    exit_code = 2

    def __init__(self, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh or en

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class BadInput(DebtcliError):
    """An option or argument that cannot be used as given."""


def not_one_of(
    given: str,
    choices: Iterable[str],
    names_zh: Iterable[str] | None = None,
    given_zh: str | None = None,
) -> BadInput:
    """A value that is not one of the choices, refused in one line with the choices listed:
    `--kind 'x': choose one of a, b` / `--kind 'x'：请从以下选择：甲、乙`. given: what was
    typed, as the refusal names it ('' when a question was asked), given_zh the same in
    Chinese where it has words (信件类型 'x'); names_zh: the choices' Chinese names, where
    they can be typed too."""
    choices = list(choices)
    en, zh = (f"{given}: ", f"{given_zh or given}：") if given else ("", "")
    return BadInput(
        f"{en}choose one of {', '.join(choices)}",
        f"{zh}请从以下选择：{'、'.join(names_zh or choices)}",
    )


# What the system said about a file, in Chinese: the operating system words it in English.
_OS_ZH = {
    "ENOENT": "没有这个文件或文件夹",
    "EACCES": "没有权限",
    "EPERM": "不允许此操作",
    "EISDIR": "这是一个文件夹",
    "ENOTDIR": "路径中有一项不是文件夹",
    "ENOSPC": "磁盘空间不足",
    "EROFS": "只读文件系统",
    "EEXIST": "已经存在",
    "ENAMETOOLONG": "文件名太长",
    "ELOOP": "符号链接层数过多",
    "EIO": "读写错误",
    "ECONNREFUSED": "连接被拒绝",
    "ECONNRESET": "连接被重置",
    "ETIMEDOUT": "连接超时",
    "ENETUNREACH": "网络不可达",
    "EHOSTUNREACH": "无法连接到主机",
}


def os_reason(exc: OSError) -> tuple[str, str]:
    """Why a file or a connection could not be used, as the system said it (English) and in
    Chinese."""
    import errno
    import socket

    en = exc.strerror or str(exc)
    if isinstance(exc, socket.gaierror):  # its numbers are the resolver's, not errno's
        return en, "找不到这个服务器（域名无法解析）"
    if isinstance(exc, TimeoutError) and exc.errno is None:  # a socket's own timeout
        return en, "超时"
    return en, _OS_ZH.get(errno.errorcode.get(exc.errno or 0, ""), en)


# What SQLite said of a store it could not use, in Chinese: its messages are English.
_SQLITE_ZH = {
    "file is not a database": "不是 SQLite 数据库（可能不是 debtcli 的数据文件，或已损坏）",
    "database disk image is malformed": "数据文件已损坏（可用 debtcli restore 从备份恢复）",
    "database is locked": "数据文件正被另一个程序使用，请稍后再试",
    "unable to open database file": "无法打开数据文件",
    "attempt to write a readonly database": "数据文件是只读的",
    "disk I/O error": "读写错误",
}


def sqlite_reason(exc: Exception) -> tuple[str, str]:
    """Why SQLite could not use a store, as it said it (English) and in Chinese."""
    en = str(exc)
    return en, _SQLITE_ZH.get(en, en)


class NeedsConfirmation(BadInput):
    """A change that may be a typo (paying more than is owed, moving an episode, a second card
    with the same bank and last four): a terminal asks, a script needs --force."""


class NotFound(DebtcliError):
    """A card, entry or file that does not exist."""


class StoreError(DebtcliError):
    """The store cannot be opened, read or written."""


class RulePackError(DebtcliError):
    """A rule pack file is missing or malformed."""


class CheckFailed(DebtcliError):
    """A check ran and found a problem (tampered evidence). Exit 1, not 2: the input was fine."""

    exit_code = 1
