"""Trusted timestamps (RFC 3161) over the evidence chain, from a timestamp authority (TSA)
outside the user's machine. A stamp covers the chain head: the message is the ASCII text
"COUNT:HEAD" (the number of entries and the hash of the last), so one token proves that every
entry up to COUNT existed, exactly as recorded, no later than the time the TSA signed.

The ASN.1 and the signature check are rfc3161-client's; this module says what to stamp and
what a token proves. Pure but for `fetch`, which is the only network call debtcli makes.
"""

from datetime import UTC, datetime
from typing import Any, NamedTuple

from debtcli.errors import BadInput, DebtcliError, os_reason


class TsaUnreachable(DebtcliError):
    """The TSA did not answer with a token: the request stays queued."""


def message(count: int, head: str) -> bytes:
    return f"{count}:{head}".encode()


def request_for(count: int, head: str) -> bytes:
    """A DER TimeStampRequest over SHA-256(message), with a nonce, asking for the TSA's
    certificate in the token (so it can be checked without fetching anything)."""
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder

    return (
        TimestampRequestBuilder()
        .data(message(count, head))
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
        .as_bytes()
    )


def check_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadInput(
            f"--tsa {url!r}: give the TSA's http:// or https:// address, e.g. "
            "https://freetsa.org/tsr",
            f"--tsa {url!r}：请给出时间戳服务的 http:// 或 https:// 地址，例如 "
            "https://freetsa.org/tsr",
        )
    return url.strip()


CA_MAX_BYTES = 1 << 20  # a root certificate is a few KB


def check_ca(pem: bytes, name: str) -> str:
    """A root certificate to pin, as PEM text."""
    from cryptography import x509

    try:
        x509.load_pem_x509_certificate(pem)
        return pem.decode("ascii")
    except (ValueError, UnicodeError) as exc:
        raise BadInput(
            f"--ca {name}: not a PEM certificate ({exc})",
            f"--ca {name}：不是 PEM 格式的证书（{exc}）",
        ) from None


def fetch(url: str, request: bytes, timeout: float = 15) -> bytes:
    """POST the request; the raw response bytes (kept as they came, never re-encoded)."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(
        url,
        data=request,
        method="POST",
        headers={"Content-Type": "application/timestamp-query", "User-Agent": "debtcli"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # http(s) only: check_url
            return bytes(r.read(1 << 20))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        why = getattr(exc, "reason", None) or exc
        en, zh = os_reason(why) if isinstance(why, OSError) else (str(why), str(why))
        raise TsaUnreachable(
            f"{url} did not answer ({en}); the request stays queued",
            f"{url} 没有响应（{zh}）；请求保留在队列中",
        ) from None


class TokenCheck(NamedTuple):
    ok: bool
    time: datetime | None  # what the TSA signed
    pinned: bool  # checked against a root the checker chose, not one the token or bundle brings
    expired_since: datetime | None  # the TSA certificate's end, when it has passed
    en: str = ""
    zh: str = ""
    unchecked: bool = False  # covers what it should, but no root to check its signature with
    signer: str | None = None  # the subject of the certificate that signed the token
    root: str | None = None  # the subject of the root its signature was checked against
    root_sha256: str | None = None  # that root's fingerprint, to compare with the TSA's own


def decode(raw: bytes) -> Any:
    """The response, parsed. Some TSAs (openssl among them) list the certificates of a token in
    chain order, which DER does not allow and rfc3161-client refuses; their order is outside
    what the TSA signed, so a copy with them in DER order is parsed instead (asn1crypto). The
    stored token stays the bytes the TSA sent."""
    from rfc3161_client import decode_timestamp_response

    try:
        return decode_timestamp_response(raw)
    except ValueError as exc:
        if "InvalidSetOrdering" not in str(exc):
            raise
    from asn1crypto import cms, tsp

    response = tsp.TimeStampResp.load(raw)
    signed = response["time_stamp_token"]["content"]
    signed["certificates"] = cms.CertificateSet(
        sorted(signed["certificates"], key=lambda c: c.dump())
    )
    return decode_timestamp_response(response.dump(force=True))


def _certificates(response: Any) -> list[Any]:
    from cryptography import x509

    return [x509.load_der_x509_certificate(c) for c in response.signed_data.certificates]


def fingerprint(cert: Any) -> str:
    from cryptography.hazmat.primitives import hashes

    return cert.fingerprint(hashes.SHA256()).hex()


def subject(cert: Any) -> str:
    return str(cert.subject.rfc4514_string())


def _issued(child: Any, issuer: Any, at: datetime) -> bool:
    """issuer signed child, and was valid at the token's time."""
    from cryptography.exceptions import InvalidSignature

    if child.issuer != issuer.subject:
        return False
    try:
        child.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return bool(issuer.not_valid_before_utc <= at <= issuer.not_valid_after_utc)


def _is_ca(cert: Any) -> bool:
    from cryptography import x509

    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def chain_to(leaf: Any, pool: list[Any], anchors: list[Any], at: datetime) -> list[Any] | None:
    """The path from the signing certificate up to one of the anchors, each link's signature
    checked: [leaf, intermediates…, anchor], or None. Only the anchors are trusted; a
    certificate the token carries is a link only where its issuer signed it."""
    path = [leaf]
    for _ in range(8):
        for anchor in anchors:
            if _issued(path[-1], anchor, at):
                return [*path, anchor]
        step = next(
            (c for c in pool if c not in path and _is_ca(c) and _issued(path[-1], c, at)), None
        )
        if step is None:
            return None
        path.append(step)
    return None


def _signer(response: Any, certs: list[Any]) -> Any:
    """The certificate the token's SignerInfo names (issuer and serial are inside what it
    signs), or None."""
    infos = list(response.signed_data.signer_infos)
    if len(infos) != 1:
        return None
    si = infos[0]
    return next(
        (c for c in certs if c.issuer == si.issuer and c.serial_number == si.serial_number), None
    )


def _failed(signed: datetime | None, pinned: bool, en: str, zh: str, **kw: Any) -> TokenCheck:
    return TokenCheck(False, signed, pinned, None, en, zh, **kw)


def check_token(raw: bytes, count: int, head: str, ca_pem: str | None) -> TokenCheck:
    """Is raw a granted token over message(count, head), signed by a timestamping certificate
    that chains to the pinned root (or, unpinned, to a self-signed root the token itself
    carries, which proves only that the token is whole)? Only that root is trusted: the other
    certificates a token carries are links to be checked, never anchors (`openssl ts -verify
    -CAfile ROOT` judges the same way). The certificates are judged at the token's own time
    (as `openssl ts -verify -attime` does): a certificate that has expired since still proves
    what it signed while valid."""
    import hashlib

    from cryptography import x509
    from rfc3161_client import VerificationError, VerifierBuilder

    pinned = bool(ca_pem)
    if not raw:  # a bundle whose token file was taken out
        return _failed(None, pinned, "its token is missing", "时间戳令牌缺失")
    try:
        response = decode(raw)
        signed = response.tst_info.gen_time
        imprint = response.tst_info.message_imprint.message
        certs = _certificates(response)
        root = x509.load_pem_x509_certificate(ca_pem.encode()) if ca_pem else None
    except (ValueError, TypeError, UnicodeError) as exc:
        return _failed(None, pinned, f"not a timestamp token ({exc})", f"不是时间戳令牌（{exc}）")
    if imprint != hashlib.sha256(message(count, head)).digest():
        return _failed(
            signed,
            pinned,
            f"it covers something else than entries 1–{count} with head {head[:12]}…",
            f"它所覆盖的不是第 1–{count} 条记录（链头 {head[:12]}…）",
        )
    leaf = _signer(response, certs)
    if leaf is None:
        return _failed(
            signed,
            pinned,
            "the token does not carry the certificate that signed it",
            "令牌不含签发它的证书",
        )
    anchors = [root] if root else [c for c in certs if c.issuer == c.subject]
    path = chain_to(leaf, certs, anchors, signed) if anchors else None
    who: dict[str, Any] = {"signer": subject(leaf)}
    if path is None and root is not None:
        return _failed(
            signed,
            pinned,
            f"it was signed by {subject(leaf)}, which does not chain to the pinned root "
            f"{subject(root)} (SHA-256 {fingerprint(root)}): another timestamp authority's token",
            f"它由 {subject(leaf)} 签发，不能追溯到已固定的根证书 {subject(root)}"
            f"（SHA-256 {fingerprint(root)}）：这是其他时间戳服务的令牌",
            **who,
        )
    if path is None and anchors:
        return _failed(
            signed,
            pinned,
            f"it was signed by {subject(leaf)}, which does not chain to the root the token carries",
            f"它由 {subject(leaf)} 签发，不能追溯到令牌自带的根证书",
            **who,
        )
    if path is None:
        return TokenCheck(
            False,
            signed,
            pinned,
            None,
            "the token carries no root certificate: pin the TSA's root with "
            "`evidence stamp --tsa URL --ca ROOT.pem` to check its signature",
            "令牌不含根证书：请用 `evidence stamp --tsa 地址 --ca 根证书.pem` 固定根证书后"
            "再校验签名",
            unchecked=True,
            **who,
        )
    anchor = path[-1]
    who.update(root=subject(anchor), root_sha256=fingerprint(anchor))
    builder = VerifierBuilder().add_root_certificate(anchor)
    for link in path[1:-1]:  # checked above to chain to the anchor: safe to hand over
        builder = builder.add_intermediate_certificate(link)
    try:
        builder.build().verify(response, imprint)
    except (VerificationError, ValueError) as exc:
        return _failed(
            signed, pinned, f"its signature does not check ({exc})", f"签名校验失败（{exc}）", **who
        )
    now = datetime.now(UTC)
    ends = [c.not_valid_after_utc for c in path if c.not_valid_after_utc < now]
    return TokenCheck(True, signed, pinned, min(ends) if ends else None, **who)


def granted_time(raw: bytes) -> datetime:
    """The time a fresh response states, refusing one that grants nothing."""
    from rfc3161_client import PKIStatus

    try:
        response = decode(raw)
        status = PKIStatus(response.status)
    except (ValueError, TypeError) as exc:
        raise TsaUnreachable(
            f"the TSA's answer is not a timestamp response ({exc})",
            f"时间戳服务的回复不是时间戳响应（{exc}）",
        ) from None
    if status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TsaUnreachable(
            f"the TSA refused the request ({status.name})", f"时间戳服务拒绝了请求（{status.name}）"
        )
    return response.tst_info.gen_time


class Covered(NamedTuple):
    first: int
    last: int
    time: datetime
    tsa: str


def existed_by(valid: list[tuple[int, datetime, str]]) -> list[Covered]:
    """valid: (count, time, tsa) of each token that checked. For each entry, the earliest time
    a token proves it existed by (a token covers every entry up to its count), as ranges of
    entries, first to last."""
    by_count: dict[int, tuple[datetime, str]] = {}
    for count, time, tsa in valid:
        if count not in by_count or time < by_count[count][0]:
            by_count[count] = (time, tsa)
    covers, best = [], None
    for count in sorted(by_count, reverse=True):  # the earliest among tokens reaching this far
        if best is None or by_count[count][0] < best[0]:
            best = by_count[count]
        covers.append((count, best))
    ranges: list[Covered] = []
    start = 1
    for count, (time, tsa) in reversed(covers):
        if ranges and (ranges[-1].time, ranges[-1].tsa) == (time, tsa):
            ranges[-1] = ranges[-1]._replace(last=count)
        else:
            ranges.append(Covered(start, count, time, tsa))
        start = count + 1
    return ranges


def send_queued(
    store: Any, now: str, wait: float = 0
) -> tuple[list[tuple[str, int, str]], list[TsaUnreachable]]:
    """Ask each TSA for what is queued (queueing the newest head where no stamp of it covers
    it yet); keep each token as it came, once it checks against what was asked. Returns what
    was stamped (tsa, entries, time) and what failed (kept queued, the reason noted). One
    sender at a time per store (system.lock): a second, started by the next write while the
    first waits on the network, leaves the queue to it; `evidence stamp` itself waits up to
    `wait` seconds for it."""
    import os
    import time

    from debtcli.system import lock

    path = store.path.with_name(f".{store.path.name}.stamps.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        until = time.monotonic() + wait
        while not lock(fd):
            if time.monotonic() >= until:
                return [], []
            time.sleep(0.2)
        return _send(store, now)
    finally:
        os.close(fd)


def _send(store: Any, now: str) -> tuple[list[tuple[str, int, str]], list[TsaUnreachable]]:
    from debtcli import store as st

    with store.write() as c:
        queue = st.ensure_stamp_requests(c, now)
        pinned = st.tsas(c)
    sent, failures = [], []
    for q in queue:
        try:
            raw = fetch(q["tsa"], request_for(q["chain_count"], q["chain_head"]))
            when = granted_time(raw)
            check = check_token(raw, q["chain_count"], q["chain_head"], pinned.get(q["tsa"]))
            if not (check.ok or check.unchecked):
                raise TsaUnreachable(
                    f"{q['tsa']}: the token does not check ({check.en})",
                    f"{q['tsa']}：令牌校验失败（{check.zh}）",
                )
        except TsaUnreachable as exc:
            with store.write() as c:
                st.record_stamp(c, q, None, None, exc.en)
            failures.append(exc)
            continue
        stamped = when.isoformat(timespec="seconds")
        with store.write() as c:
            st.record_stamp(c, q, raw, stamped, None)
        sent.append((q["tsa"], q["chain_count"], stamped))
    return sent, failures
